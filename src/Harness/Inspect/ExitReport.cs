using System.Globalization;
using System.Text;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Metrics;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Harness.Inspect;

/// <summary>
/// A run's exits by reason as <c>perf kvm stat report</c> prints them: count, share of exits, total handling time,
/// share of hypervisor time, shortest / mean / longest handling time — for the whole VM or one vCPU. Handling time is
/// the hypervisor cycles from the trap to the guest entry; a WFx exit's halt is idle time and not in it (perf kvm stat
/// would count the whole block).
/// </summary>
public static class ExitReport
{
    public sealed record Row(string Reason, long Count, double CountPercent, double TotalNs, double HypPercent, double MinNs, double AvgNs, double MaxNs);

    public static IReadOnlyList<Row> Build(MetricSet m, CostProfile p, int? vcpu = null)
    {
        var tally = vcpu is { } v ? m.ExitsByVcpu[v] : null;
        long Count(ExitReason r) => tally?.Count(r) ?? m.Get($"exits_{ExitStats.Name(r)}").Value;
        long Total(ExitReason r) => tally?.TotalCycles(r) ?? m.Exits.TotalCycles(r);
        long Min(ExitReason r) => tally?.MinCycles(r) ?? m.Exits.MinCycles(r);
        long Max(ExitReason r) => tally?.MaxCycles(r) ?? m.Exits.MaxCycles(r);
        long exits = ExitStats.Reasons.Sum(Count), hyp = ExitStats.Reasons.Sum(Total);
        return ExitStats.Reasons.Where(r => Count(r) > 0).OrderByDescending(Count)
            .Select(r => new Row(ExitStats.Name(r), Count(r), 100.0 * Count(r) / exits, p.CyclesToNs(Total(r)), hyp == 0 ? 0 : 100.0 * Total(r) / hyp,
                p.CyclesToNs(Min(r)), p.CyclesToNs((double)Total(r) / Count(r)), p.CyclesToNs(Max(r))))
            .ToList();
    }

    public static string Text(IReadOnlyList<Row> rows, string scope)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder($"Analyze exits for {scope}:\n\n");
        sb.AppendLine(string.Format(ci, "{0,12} {1,10} {2,9} {3,14} {4,7} {5,11} {6,11} {7,11}", "VM-EXIT", "Samples", "Samples%", "Time (ns)", "Time%", "Min ns", "Avg ns", "Max ns"));
        foreach (var r in rows)
            sb.AppendLine(string.Format(ci, "{0,12} {1,10} {2,8:F2}% {3,14:F0} {4,6:F2}% {5,11:F1} {6,11:F1} {7,11:F1}", r.Reason, r.Count, r.CountPercent, r.TotalNs, r.HypPercent, r.MinNs, r.AvgNs, r.MaxNs));
        sb.AppendLine($"\nTotal Samples: {rows.Sum(r => r.Count).ToString(ci)}, Total hypervisor time: {rows.Sum(r => r.TotalNs).ToString("F0", ci)} ns");
        return sb.ToString();
    }

    public static string Csv(IReadOnlyList<Row> rows)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("reason,count,count_percent,total_ns,hyp_time_percent,min_ns,avg_ns,max_ns\n");
        foreach (var r in rows)
            sb.Append(string.Join(",", r.Reason, r.Count.ToString(ci), r.CountPercent.ToString("F3", ci), r.TotalNs.ToString("F1", ci), r.HypPercent.ToString("F3", ci),
                r.MinNs.ToString("F1", ci), r.AvgNs.ToString("F1", ci), r.MaxNs.ToString("F1", ci))).Append('\n');
        return sb.ToString();
    }
}
