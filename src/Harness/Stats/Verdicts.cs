using IrqBench.Harness.Output;

namespace IrqBench.Harness.Stats;

/// <summary>A verdict for one scenario (workload, profile, vCPUs, parameters).</summary>
public sealed record ScenarioVerdict(string Workload, string Profile, int Vcpus, string Params, Verdict Verdict);

/// <summary>The verdicts a comparison prints: every real design against the gicv3 emulation, per scenario, on the
/// simulated time per work unit.</summary>
public static class Verdicts
{
    public const double ThresholdPercent = 5, Alpha = 0.05;

    public static List<ScenarioVerdict> ForRuns(IReadOnlyList<RunRow> runs)
    {
        var list = new List<ScenarioVerdict>();
        foreach (var g in runs.GroupBy(r => (r.Workload, r.Profile, r.Vcpus, r.Params))
                     .OrderBy(g => g.Key.Workload, StringComparer.Ordinal).ThenBy(g => g.Key.Profile, StringComparer.Ordinal)
                     .ThenBy(g => g.Key.Vcpus).ThenBy(g => g.Key.Params, StringComparer.Ordinal))
        {
            var byController = g.GroupBy(r => r.Controller).ToDictionary(c => c.Key, c => c.OrderBy(r => r.Seed).Select(RunMetric.NsPerUnit.Read).ToList());
            // A run without work units has no time per unit (and a ratio of it means nothing).
            if (!byController.TryGetValue(Summarizer.Gicv3, out var y) || y.Any(v => v <= 0)) continue;
            foreach (var c in byController.Keys.Where(c => c is not Summarizer.Gicv3 and not Summarizer.Ideal && byController[c].All(v => v > 0))
                         .Order(ControllerOrder.Instance))
                list.Add(new ScenarioVerdict(g.Key.Workload, g.Key.Profile, g.Key.Vcpus, g.Key.Params,
                    Verdict.Compare(c, byController[c], Summarizer.Gicv3, y, ThresholdPercent, Alpha)));
        }
        return list;
    }
}
