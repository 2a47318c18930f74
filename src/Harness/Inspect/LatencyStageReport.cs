using System.Globalization;
using System.Text;
using IrqBench.Machine.Costs;
using HdrHistogram;
using IrqBench.Harness.Output;
using IrqBench.Machine.Metrics;

namespace IrqBench.Harness.Inspect;

/// <summary>Where each kind of interrupt's latency goes, stage by stage (<see cref="LatencyStage"/>): the table
/// <c>run</c> prints from latency_stages.csv's rows (<see cref="LatencyStageRow"/>), and per kind and stage an
/// HdrHistogram percentile distribution (.hgrm, in µs) as HdrHistogram writes it.</summary>
public static class LatencyStageReport
{
    public static string Text(IReadOnlyList<LatencyStageRow> rows)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("Where the latency goes (mean ns per interrupt, by stage):\n\n");
        sb.AppendLine($"{"kind",-6} {"count",8} " + string.Concat(LatencyStages.All.Select(s => $"{s.Name(),9} ")) + $"{"total",9}");
        foreach (var g in rows.GroupBy(r => r.Kind))
        {
            var line = new StringBuilder(string.Format(ci, "{0,-6} {1,8} ", g.Key, g.First().Interrupts));
            foreach (var r in g) line.Append(string.Format(ci, "{0,9:F1} ", r.MeanNs));
            line.Append(string.Format(ci, "{0,9:F1}", g.Sum(r => r.MeanNs)));
            sb.AppendLine(line.ToString());
        }
        return sb.ToString();
    }

    /// <summary>The .hgrm files: one per kind and stage with deliveries, values in µs.</summary>
    public static IEnumerable<(string File, string Text)> Hgrm(MetricSet m, CostProfile p)
    {
        double cyclesPerUs = p.FrequencyHz / 1e6;
        foreach (var k in IrqKinds.All)
        {
            if (m.IrqLatencyOf(k).Count == 0) continue;
            foreach (var s in LatencyStages.All)
            {
                var w = new StringWriter(CultureInfo.InvariantCulture);
                m.Stages.Of(k, s).OutputPercentileDistribution(w, 5, cyclesPerUs);
                yield return ($"{k.Name()}-{s.Name()}.hgrm", w.ToString());
            }
        }
    }
}
