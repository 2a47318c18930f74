using IrqBench.Harness.Stats;

namespace IrqBench.Harness.Report;

/// <summary>The answer at a glance: for each design, how many scenarios got which verdict against gicv3 and the range
/// of its time ratio, e.g. "rvic against gicv3: slower by more than 5 % in 4 of 6 scenarios, indistinguishable in 2;
/// time ratio 0.98–1.31".</summary>
public static class Headline
{
    public static IEnumerable<string> Lines(IReadOnlyList<ScenarioVerdict> verdicts) =>
        verdicts.GroupBy(v => (v.Verdict.Candidate, v.Verdict.Baseline)).Select(g =>
        {
            var parts = g.GroupBy(v => v.Verdict.Kind).OrderByDescending(k => k.Count()).ThenBy(k => k.Key)
                .Select(k => $"{Describe(k.Key, g.First().Verdict.ThresholdPercent)} in {k.Count()} of {g.Count()} scenarios");
            double lo = g.Min(v => v.Verdict.Ratio), hi = g.Max(v => v.Verdict.Ratio);
            string range = lo == hi ? Fmt.Ratio(lo) : $"{Fmt.Ratio(lo)}–{Fmt.Ratio(hi)}";
            return $"{g.Key.Candidate} against {g.Key.Baseline}: {string.Join(", ", parts)}; time per work unit ratio {range}";
        });

    private static string Describe(VerdictKind k, double threshold) => k switch
    {
        VerdictKind.Slower => $"slower by more than {Fmt.Num(threshold)} %",
        VerdictKind.Faster => $"faster by more than {Fmt.Num(threshold)} %",
        VerdictKind.Equivalent => $"indistinguishable within ±{Fmt.Num(threshold)} %",
        VerdictKind.TooFewSeeds => "undecidable with so few seeds",
        _ => "inconclusive",
    };
}
