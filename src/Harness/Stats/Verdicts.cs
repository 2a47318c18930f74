using IrqBench.Harness.Output;

namespace IrqBench.Harness.Stats;

/// <summary>A verdict for one scenario.</summary>
public sealed record ScenarioVerdict(ScenarioKey Scenario, Verdict Verdict);

/// <summary>The verdicts a comparison prints: every design against the baseline (gicv3 unless told otherwise), per
/// scenario, on the paired ratio of simulated time per work unit. The ideal controller is the lower bound, not a
/// design: it gets no verdict of its own (it can be the baseline).</summary>
public static class Verdicts
{
    public const double DefaultThresholdPercent = 5;

    public static List<ScenarioVerdict> ForRuns(IReadOnlyList<RunRow> runs, string baseline, double thresholdPercent)
    {
        var list = new List<ScenarioVerdict>();
        foreach (var g in runs.GroupBy(ScenarioKey.Of).OrderBy(g => g.Key))
        {
            var byController = g.GroupBy(r => r.Controller).ToDictionary(c => c.Key, c => c.ToList());
            if (!byController.TryGetValue(baseline, out var b)) continue;
            foreach (var c in byController.Keys.Where(c => c != baseline && c != Summarizer.Ideal).Order(ControllerOrder.Instance))
                // A run without work units has no time per unit, and a ratio of it means nothing.
                if (SeedPairing.Ratio(byController[c], b, RunMetric.NsPerUnit.Read) is { } ratio)
                    list.Add(new ScenarioVerdict(g.Key, Verdict.Decide(c, baseline, ratio, thresholdPercent)));
        }
        return list;
    }
}
