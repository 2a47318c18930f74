using IrqBench.Harness.Output;

namespace IrqBench.Harness.Stats;

/// <summary>Builds summary.csv from runs.csv (and microbench.csv): per scenario and metric, the median over seeds with
/// its confidence interval and the ratios against gicv3 and ideal. The output order depends only on the keys, never on
/// the order of the input rows, so a merged sweep summarises exactly like an unsharded one.</summary>
public static class Summarizer
{
    public const string Gicv3 = "gicv3", Ideal = "ideal";

    public static List<SummaryRow> Summarize(IEnumerable<RunRow> runs, IEnumerable<MicrobenchRow>? microbench = null)
    {
        var rows = new List<SummaryRow>();
        foreach (var g in runs.GroupBy(r => (r.Controller, r.Workload, r.Profile, r.Vcpus, r.Params)))
        {
            var seeds = g.OrderBy(r => r.Seed).ToList();
            foreach (var m in RunMetric.All)
            {
                var e = MedianEstimate.Of(seeds.Select(m.Read).ToList());
                rows.Add(new SummaryRow
                {
                    Controller = g.Key.Controller, Workload = g.Key.Workload, Profile = g.Key.Profile, Vcpus = g.Key.Vcpus,
                    Params = g.Key.Params, Metric = m.Name, Unit = m.Unit, N = e.N,
                    Median = RunRow.Round(e.Median), CiLower = RunRow.Round(e.Lower), CiUpper = RunRow.Round(e.Upper),
                });
            }
        }
        foreach (var mb in microbench ?? [])
        {
            if (mb.Skipped.Length > 0) continue;
            foreach (var (metric, unit, value) in new[] { ("avg_ns", "ns", mb.AvgNs), ("exits_per_op", "exits", mb.ExitsPerOp) })
                rows.Add(new SummaryRow
                {
                    Controller = mb.Controller, Workload = "microbench", Profile = mb.Profile, Vcpus = 2, Params = $"test={mb.Test}",
                    Metric = metric, Unit = unit, N = 1, Median = value, CiLower = value, CiUpper = value,
                });
        }
        return WithRatios(rows)
            .OrderBy(r => r.Workload, StringComparer.Ordinal).ThenBy(r => r.Profile, StringComparer.Ordinal)
            .ThenBy(r => r.Vcpus).ThenBy(r => r.Params, StringComparer.Ordinal)
            .ThenBy(r => r.Controller, ControllerOrder.Instance).ThenBy(r => MetricRank(r.Metric))
            .ToList();
    }

    private static IEnumerable<SummaryRow> WithRatios(List<SummaryRow> rows)
    {
        var byKey = rows.ToDictionary(r => (r.Controller, r.ScenarioKey, r.Metric));
        double? Ratio(SummaryRow r, string against) =>
            byKey.TryGetValue((against, r.ScenarioKey, r.Metric), out var b) && b.Median != 0
                ? Math.Round(r.Median / b.Median, 4, MidpointRounding.ToEven)
                : null;
        return rows.Select(r => r with { RatioVsGicv3 = Ratio(r, Gicv3), RatioVsIdeal = Ratio(r, Ideal) });
    }

    private static int MetricRank(string metric)
    {
        for (int i = 0; i < RunMetric.All.Count; i++) if (RunMetric.All[i].Name == metric) return i;
        return metric == "avg_ns" ? RunMetric.All.Count : RunMetric.All.Count + 1;
    }
}
