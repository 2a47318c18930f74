using CsCheck;

namespace IrqBench.Rvic.Tests;

/// <summary>Runs a CsCheck generator from fixed PCG seeds, so every test run checks the same samples (the simulator's
/// rule: no unseeded randomness). A failure names the sample's seed to reproduce it alone.</summary>
internal static class Seeded
{
    public static void ForAll<T>(Gen<T> gen, int samples, Action<T> check, ulong firstSeed = 1)
    {
        for (ulong s = firstSeed; s < firstSeed + (ulong)samples; s++)
        {
            var value = gen.Generate(new PCG(1, s), null, out _);
            try { check(value); }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"sample with seed {s} failed: {e.Message}\n{e}");
            }
        }
    }
}
