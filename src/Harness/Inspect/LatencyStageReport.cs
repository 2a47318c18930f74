using System.Globalization;
using System.Text;
using IrqBench.Machine.Costs;
using HdrHistogram;
using IrqBench.Machine.Metrics;

namespace IrqBench.Harness.Inspect;

/// <summary>Where each kind of interrupt's latency goes, stage by stage (<see cref="LatencyStage"/>): per kind and
/// stage the count, mean and percentiles from the run's HdrHistograms, written as latency_stages.csv and, per kind and
/// stage, as an HdrHistogram percentile distribution (.hgrm, in µs).</summary>
public static class LatencyStageReport
{
    public sealed record Row(string Kind, string Stage, long Count, double MeanNs, double P50Ns, double P90Ns, double P99Ns, double MaxNs);

    public static IReadOnlyList<Row> Build(MetricSet m, CostProfile p)
    {
        var rows = new List<Row>();
        foreach (var k in IrqKinds.All)
        {
            long n = m.IrqLatencyOf(k).Count;
            if (n == 0) continue;
            foreach (var s in LatencyStages.All)
            {
                var h = m.Stages.Of(k, s);
                rows.Add(new Row(k.Name(), s.Name(), n, p.CyclesToNs((double)m.Stages.TotalCycles(k, s) / n),
                    p.CyclesToNs(h.GetValueAtPercentile(50)), p.CyclesToNs(h.GetValueAtPercentile(90)), p.CyclesToNs(h.GetValueAtPercentile(99)), p.CyclesToNs(h.GetMaxValue())));
            }
        }
        return rows;
    }

    public static string Text(IReadOnlyList<Row> rows)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("Where the latency goes (mean ns per interrupt, by stage):\n\n");
        sb.AppendLine($"{"kind",-6} {"count",8} " + string.Concat(LatencyStages.All.Select(s => $"{s.Name(),9} ")) + $"{"total",9}");
        foreach (var g in rows.GroupBy(r => r.Kind))
        {
            var line = new StringBuilder(string.Format(ci, "{0,-6} {1,8} ", g.Key, g.First().Count));
            foreach (var r in g) line.Append(string.Format(ci, "{0,9:F1} ", r.MeanNs));
            line.Append(string.Format(ci, "{0,9:F1}", g.Sum(r => r.MeanNs)));
            sb.AppendLine(line.ToString());
        }
        return sb.ToString();
    }

    public static string Csv(IReadOnlyList<Row> rows)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("kind,stage,count,mean_ns,p50_ns,p90_ns,p99_ns,max_ns\n");
        foreach (var r in rows)
            sb.Append(string.Join(",", r.Kind, r.Stage, r.Count.ToString(ci), r.MeanNs.ToString("F2", ci), r.P50Ns.ToString("F1", ci), r.P90Ns.ToString("F1", ci),
                r.P99Ns.ToString("F1", ci), r.MaxNs.ToString("F1", ci))).Append('\n');
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
