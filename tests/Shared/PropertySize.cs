using System.Globalization;

namespace IrqBench.Tests;

/// <summary>
/// How many samples a property test checks: one place for every test project (this file is linked into each), so
/// that CI runs the default sizes and a longer run raises all of them from the environment:
/// <list type="bullet">
/// <item><c>IRQBENCH_PROPERTY_OPS=N</c>: about N operations (steps of a stream) per test case, whatever its default;
/// each test says how many operations one of its samples holds on average.</item>
/// <item><c>CsCheck_Iter=N</c>: N samples per test case. CsCheck 5.0.1 reads this variable itself into
/// <c>Check.Iter</c>, but only for a <c>Sample</c> called without <c>iter:</c>; ours pass it, so it is honoured here.</item>
/// <item><c>IRQBENCH_PROPERTY_SCALE=K</c>: K times each test's default (an integer ≥ 1).</item>
/// </list>
/// The first that is set wins. Seeded streams take seeds 1..N, so a larger N checks a superset of the default's samples.
/// </summary>
public static class PropertySize
{
    public const string OpsVariable = "IRQBENCH_PROPERTY_OPS", IterVariable = "CsCheck_Iter", ScaleVariable = "IRQBENCH_PROPERTY_SCALE";

    /// <param name="samples">the test's default number of samples (what CI runs)</param>
    /// <param name="opsPerSample">the average number of operations in one sample, from its generator's bounds</param>
    public static int Samples(int samples, double opsPerSample)
    {
        if (Read(OpsVariable) is { } ops) return (int)Math.Min(int.MaxValue, Math.Max(1, Math.Ceiling(ops / opsPerSample)));
        if (Read(IterVariable) is { } iter) return (int)Math.Min(int.MaxValue, iter);
        if (Read(ScaleVariable) is { } scale) return (int)Math.Min(int.MaxValue, samples * scale);
        return samples;
    }

    private static long? Read(string name)
    {
        if (Environment.GetEnvironmentVariable(name) is not { Length: > 0 } text) return null;
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long v) && v >= 1
            ? v
            : throw new InvalidOperationException($"{name}={text}: expected a whole number ≥ 1");
    }
}
