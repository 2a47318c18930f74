namespace IrqBench.Harness.Report.Sections;

/// <summary>Where the hypervisor time goes, in the layout of <c>perf kvm stat report</c>: per organisation and
/// workload at its largest vCPU count (where designs differ most), each design's exits by reason, summed over seeds.
/// Every scenario's rows are in exits.csv and summary.json.</summary>
public static class ExitSection
{
    public static IEnumerable<TextTable> Tables(ComparisonData d)
    {
        if (!d.HasExitTimes) yield break;
        foreach (var c in d.Cases)
        {
            var vcpus = d.VcpusOf(c);
            if (vcpus.Count == 0) continue;
            int v = vcpus[^1];
            var t = new TextTable($"{c.Label}, {Plural.Of(v, "vCPU")}: exits by reason, summed over seeds",
                ("design", false), ("exit reason", false), ("samples", true), ("samples %", true), ("time ms", true), ("time % of hyp", true),
                ("avg ns", true), ("min ns", true), ("max ns", true))
            {
                Note = "Time: hypervisor handling from the trap to the next guest entry (a WFx exit's halt is idle time, not handling). " +
                       "Numbers: exits.csv (exits, total_cycles, min_cycles, max_cycles) and runs.csv hyp_cycles.",
            };
            foreach (var ctl in d.ControllersOf(c))
                foreach (var r in ExitReasonRow.Of(d, d.RunsOf(ctl, c, v)))
                    t.Add(ctl, r.Reason, r.Exits.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture), Fmt.Percent(r.ExitsPercent),
                        Fmt.Num(r.TotalNs / 1e6), Fmt.Percent(r.HypPercent), Fmt.Num(r.AvgNs), Fmt.Num(r.MinNs), Fmt.Num(r.MaxNs));
            if (t.Rows.Count > 0) yield return t;
        }
    }
}
