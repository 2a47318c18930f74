using IrqBench.Harness.Output;

namespace IrqBench.Harness.Stats;

/// <summary>Builds summary.csv from runs.csv (and microbench.csv): per scenario, controller and metric, the median
/// over seeds with its distribution-free 95 % interval, and the paired ratio (<see cref="PairedRatio"/>) against
/// gicv3 and against ideal in the same scenario. The output order depends only on the keys, never on the order of
/// the input rows, so a merged sweep summarises exactly like an unsharded one.</summary>
public static class Summarizer
{
    public const string Gicv3 = "gicv3", Ideal = "ideal";

    public static List<SummaryRow> Summarize(IEnumerable<RunRow> runs, IEnumerable<MicrobenchRow>? microbench = null)
    {
        var rows = new List<SummaryRow>();
        foreach (var scenario in runs.GroupBy(ScenarioKey.Of))
        {
            var byController = scenario.GroupBy(r => r.Controller).ToDictionary(g => g.Key, g => g.OrderBy(r => r.Seed).ToList());
            foreach (var (controller, seeds) in byController)
                foreach (var m in RunMetric.All)
                {
                    var e = MedianEstimate.Of(seeds.Select(m.Read).ToList());
                    double? Against(string other) =>
                        byController.TryGetValue(other, out var o) ? Round4(SeedPairing.Ratio(seeds, o, m.Read)?.Ratio) : null;
                    rows.Add(new SummaryRow
                    {
                        Controller = controller, Workload = scenario.Key.Workload, Profile = scenario.Key.Profile,
                        ProfileSha256 = scenario.Key.ProfileSha256, Vcpus = scenario.Key.Vcpus, Params = scenario.Key.Params,
                        Metric = m.Name, Unit = m.Unit, N = e.N, Median = RunRow.Round(e.Median),
                        CiLower = e.Lower is { } lo ? RunRow.Round(lo) : null, CiUpper = e.Upper is { } hi ? RunRow.Round(hi) : null,
                        RatioVsGicv3 = Against(Gicv3), RatioVsIdeal = Against(Ideal),
                    });
                }
        }
        rows.AddRange(MicrobenchRows(microbench ?? []));
        return rows
            .OrderBy(r => r.Workload, StringComparer.Ordinal).ThenBy(r => r.Profile, StringComparer.Ordinal)
            .ThenBy(r => r.ProfileSha256, StringComparer.Ordinal).ThenBy(r => r.Vcpus).ThenBy(r => r.Params, StringComparer.Ordinal)
            .ThenBy(r => r.Controller, ControllerOrder.Instance).ThenBy(r => MetricRank(r.Metric))
            .ToList();
    }

    /// <summary>One value per micro-benchmark, so no interval; its ratios are those of single values, which is what
    /// the paired ratio is for one pair.</summary>
    private static IEnumerable<SummaryRow> MicrobenchRows(IEnumerable<MicrobenchRow> microbench)
    {
        var ran = microbench.Where(m => m.Skipped.Length == 0).ToList();
        var byKey = ran.ToDictionary(m => (m.Controller, m.Profile, m.ProfileSha256, m.Test));
        foreach (var mb in ran)
            foreach (var (metric, unit, read) in new (string, string, Func<MicrobenchRow, double>)[] { ("avg_ns", "ns", m => m.AvgNs), ("exits_per_op", "exits", m => m.ExitsPerOp) })
            {
                double? Against(string other) =>
                    byKey.TryGetValue((other, mb.Profile, mb.ProfileSha256, mb.Test), out var o) ? Round4(PairedRatio.Of([read(mb)], [read(o)])?.Ratio) : null;
                yield return new SummaryRow
                {
                    Controller = mb.Controller, Workload = "microbench", Profile = mb.Profile, ProfileSha256 = mb.ProfileSha256, Vcpus = 2,
                    Params = $"test={mb.Test}", Metric = metric, Unit = unit, N = 1, Median = read(mb),
                    RatioVsGicv3 = Against(Gicv3), RatioVsIdeal = Against(Ideal),
                };
            }
    }

    private static double? Round4(double? v) => v is { } x ? Math.Round(x, 4, MidpointRounding.ToEven) : null;

    private static int MetricRank(string metric)
    {
        for (int i = 0; i < RunMetric.All.Count; i++) if (RunMetric.All[i].Name == metric) return i;
        return metric == "avg_ns" ? RunMetric.All.Count : RunMetric.All.Count + 1;
    }
}
