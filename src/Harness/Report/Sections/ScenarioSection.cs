using System.Globalization;
using IrqBench.Harness.Stats;

namespace IrqBench.Harness.Report.Sections;

/// <summary>Every scenario's numbers: medians over seeds with their distribution-free 95 % interval where the seed
/// count gives one, and the paired ratios against the baseline and ideal.</summary>
public static class ScenarioSection
{
    public static TextTable? Table(ComparisonData d)
    {
        if (d.Cases.Count == 0) return null;
        var t = new TextTable("",
            ("workload", false), ("vCPUs", true), ("design", false), ("ns per unit", true), ($"vs {d.Baseline}", true), ("vs ideal", true),
            ("throughput /s", true), ("exits per unit", true), ("kicks per unit", true), ("p99 latency ns", true))
        {
            Note = "Medians over seeds, with the distribution-free 95 % interval of the median in brackets where the seeds differ and there are at " +
                   $"least 6 of them; ratios: the {PairedRatio.EstimateName}. Numbers: summary.csv.",
        };
        foreach (var c in d.Cases)
            foreach (int v in d.VcpusOf(c))
                foreach (var ctl in d.Controllers)
                {
                    var runs = d.RunsOf(ctl, c, v);
                    if (runs.Count == 0) continue;
                    MedianEstimate M(Func<Output.RunRow, double> read) => MedianEstimate.Of(runs.Select(read).ToList());
                    var time = M(RunMetric.NsPerUnit.Read);
                    t.Add(c.Label + $" ({c.WorkUnit})", v.ToString(CultureInfo.InvariantCulture), ctl, Fmt.Median(time.Median, time.Lower, time.Upper),
                        Fmt.Ratio(d.Ratio(ctl, d.Baseline, c, v, RunMetric.NsPerUnit.Read)?.Ratio),
                        Fmt.Ratio(d.Ratio(ctl, Summarizer.Ideal, c, v, RunMetric.NsPerUnit.Read)?.Ratio),
                        Fmt.Num(M(RunMetric.Throughput.Read).Median), Fmt.Num(M(RunMetric.ExitsPerUnit.Read).Median),
                        Fmt.Num(M(r => RunMetric.PerUnit(r, r.Kicks)).Median), Fmt.Num(M(r => r.IrqLatencyP99Ns).Median));
                }
        return t;
    }
}
