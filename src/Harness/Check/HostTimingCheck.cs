using IrqBench.Harness.Stats;

namespace IrqBench.Harness.Check;

/// <summary>Host timings are noisy, so unlike modelled metrics they are compared with a statistical test: a benchmark
/// fails only when its iterations are slower than the baseline's by more than the threshold at level alpha
/// (<see cref="Verdict"/>, one-sided Mann-Whitney). Faster, indistinguishable or undecidable passes.</summary>
public static class HostTimingCheck
{
    public static List<(string Benchmark, Verdict Verdict)> Run(Dictionary<string, List<double>> baseline, Dictionary<string, List<double>> current,
        HostLimit limit) =>
        baseline.Keys.Where(current.ContainsKey).Order(StringComparer.Ordinal)
            .Select(k => (k, Verdict.Compare("now", current[k], "baseline", baseline[k], limit.ThresholdPercent, limit.Alpha)))
            .ToList();

    public static bool Passed(IEnumerable<(string, Verdict V)> results) => results.All(r => r.V.Kind != VerdictKind.Slower);
}

/// <summary>The host-timing threshold: "slower by more than X % at level alpha" fails.</summary>
public sealed record HostLimit(double ThresholdPercent, double Alpha)
{
    public static readonly HostLimit Default = new(10, 0.01);
}
