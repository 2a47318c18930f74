namespace IrqBench.Machine.Simulation;

/// <summary>
/// SplitMix64: a small, fast generator whose output depends only on its seed, on every platform and runtime
/// (System.Random's seeded algorithm is an implementation detail we do not want results to hang on).
/// Every consumer derives its own stream from the run seed and a name, so adding a consumer never shifts the
/// numbers another one draws.
/// </summary>
public sealed class DeterministicRandom
{
    private ulong state;

    public DeterministicRandom(ulong seed) => state = seed;

    /// <summary>A stream for <paramref name="name"/> derived from <paramref name="runSeed"/>.</summary>
    public static DeterministicRandom Derive(ulong runSeed, string name)
    {
        ulong h = 14695981039346656037UL; // FNV-1a over the name
        foreach (char c in name) { h ^= c; h *= 1099511628211UL; }
        return new DeterministicRandom(Mix(runSeed ^ Mix(h)));
    }

    public ulong NextULong()
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public long NextLong(long min, long max)
    {
        if (max <= min) return min;
        return min + (long)(NextULong() % (ulong)(max - min));
    }

    public int NextInt(int maxExclusive) => (int)NextLong(0, maxExclusive);

    /// <summary>Exponentially distributed with the given mean (inter-arrival times of a Poisson process).</summary>
    public double NextExponential(double mean) => -mean * Math.Log(1.0 - NextDouble());

    /// <summary>Log-normal with the given median and shape sigma (service times with a long right tail).</summary>
    public double NextLogNormal(double median, double sigma)
    {
        // Box-Muller; one normal per call keeps the stream simple to reason about.
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();
        double z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        return median * Math.Exp(sigma * z);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
