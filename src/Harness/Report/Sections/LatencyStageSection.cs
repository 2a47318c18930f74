using System.Globalization;

namespace IrqBench.Harness.Report.Sections;

/// <summary>Where each interrupt's latency goes, per organisation and workload at its largest vCPU count: for every
/// kind of interrupt, each design's mean per stage — the sender's trap, the kick in flight, the receiver's exit and
/// host work, the injection to the guest entry, the wait with interrupts masked, the exception to the acknowledge —
/// so that the reader sees which stage a design adds to. The plot of the same numbers is latency-stages-*.png.</summary>
public static class LatencyStageSection
{
    public static IEnumerable<TextTable> Tables(ComparisonData d)
    {
        if (d.StageRows.Count == 0) yield break;
        foreach (var c in d.Cases)
        {
            var vcpus = d.VcpusOf(c);
            if (vcpus.Count == 0) continue;
            int v = vcpus[^1];
            var controllers = d.ControllersOf(c);
            var all = controllers.SelectMany(ctl => d.RunsOf(ctl, c, v)).ToList();
            var columns = new List<(string, bool)> { ("kind", false), ("design", false), ("interrupts", true) };
            columns.AddRange(StageBreakdown.StageNames.Select(s => (s + " ns", true)));
            columns.Add(("total ns", true));
            var t = new TextTable($"{c.Label}, {Plural.Of(v, "vCPU")}: mean latency per interrupt by stage, over seeds", columns.ToArray())
            {
                Note = "send: the sender's trap until the kick leaves; kick: the physical IPI in flight; exit: the receiver's exit and host work until " +
                       "the interrupt is injected (a halted receiver's wake-up too); inject: injection (list register, VI, hardware) to guest entry; " +
                       "pending: entry to the IRQ exception (IRQs masked); ack: the exception to the acknowledge. The stages of each interrupt add up " +
                       "to its latency. Numbers: latency_stages.csv.",
            };
            foreach (var kind in StageBreakdown.KindsIn(d, all))
                foreach (var ctl in controllers)
                    if (StageBreakdown.Of(d, ctl, d.RunsOf(ctl, c, v), kind) is { } b)
                        t.Add([kind, ctl, b.Interrupts.ToString("#,0", CultureInfo.InvariantCulture), .. b.Stages.Select(s => Fmt.Num(s.MeanNs)), Fmt.Num(b.TotalNs)]);
            if (t.Rows.Count > 0) yield return t;
        }
    }
}
