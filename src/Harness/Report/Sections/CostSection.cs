using System.Globalization;

namespace IrqBench.Harness.Report.Sections;

/// <summary>The cost, first, per organisation: what each design costs per work unit (wall time, hypervisor vCPU time
/// and its share of all vCPU time), its difference from the baseline split into hypervisor, guest and idle time, and
/// the micro-benchmarks' cost per operation. The same tables open report.md and the console summary.</summary>
public static class CostSection
{
    public static TextTable? Costs(ComparisonData d, ProfileInfo p)
    {
        var rows = CostRow.On(d, p);
        if (rows.Count == 0) return null;
        string b = d.Baseline;
        var t = new TextTable($"{p.Title}: cost per work unit, means over seeds",
            ("workload", false), ("vCPUs", true), ("design", false), ("ns per unit", true), ("hyp vCPU-ns per unit", true), ("hyp share of vCPU time", true),
            ($"Δ ns per unit vs {b}", true), ("Δ hyp", true), ("Δ guest", true), ("Δ idle", true))
        {
            Note = $"Δ columns: mean over paired seeds of this design minus {b}. Δ hyp + Δ guest + Δ idle is the difference in vCPU-ns per unit, " +
                   "vCPUs × Δ ns per unit (guest, hypervisor and idle time add up to the simulated time on every vCPU). " +
                   "Numbers: runs.csv (sim_ns, work_units, guest_cycles, hyp_cycles, idle_cycles, frequency_hz).",
        };
        foreach (var r in rows)
            t.Add($"{r.Case.Workload} ({r.Case.WorkUnit})", r.Vcpus.ToString(CultureInfo.InvariantCulture), r.Controller, Fmt.Num(r.NsPerUnit),
                Fmt.Num(r.HypNsPerUnit), Fmt.Percent(r.HypShare * 100),
                r.Delta is { } x ? Fmt.Signed(x.NsPerUnit) : "–", r.Delta is { } h ? Fmt.Signed(h.Hyp) : "–",
                r.Delta is { } g ? Fmt.Signed(g.Guest) : "–", r.Delta is { } i ? Fmt.Signed(i.Idle) : "–");
        return t;
    }

    /// <summary>The micro-benchmarks on one profile: average ns per operation (exits per operation), one row per
    /// design, then the published figure and model / published for the design it was measured on only.</summary>
    public static TextTable? Microbench(ComparisonData d, ProfileInfo profile)
    {
        var rows = d.Microbench.Where(profile.Is).ToList();
        if (rows.Count == 0) return null;
        var tests = rows.Select(m => m.Test).Distinct().ToList();
        var t = new TextTable($"{profile.Label}: micro-benchmarks, ns per operation (exits per operation)",
            new[] { ("design", false) }.Concat(tests.Select(x => (x, true))).ToArray())
        {
            Note = $"kvm-unit-tests arm/micro-bench shapes in the model. The published figures are measurements of KVM with its GICv3 emulation, " +
                   $"so only {Output.MicrobenchRow.PublishedDesign} is divided by them. Numbers: microbench.csv.",
        };
        foreach (var ctl in rows.Select(m => m.Controller).Distinct().Order(Stats.ControllerOrder.Instance))
            t.Add(new[] { ctl }.Concat(tests.Select(test => rows.FirstOrDefault(m => m.Controller == ctl && m.Test == test) is { } m
                ? m.Skipped.Length > 0 ? "skipped" : $"{Fmt.Num(m.AvgNs)} ({Fmt.Num(m.ExitsPerOp)})"
                : "–")).ToArray());
        var calibration = tests.Select(test => rows.FirstOrDefault(m => m.Test == test && m.IsCalibration)).ToList();
        if (calibration.Any(m => m is not null))
        {
            t.Add(new[] { $"published ({Output.MicrobenchRow.PublishedDesign})" }.Concat(calibration.Select(m => Fmt.Num(m?.PublishedNs))).ToArray());
            t.Add(new[] { $"{Output.MicrobenchRow.PublishedDesign} model / published" }.Concat(calibration.Select(m => Fmt.Ratio(m?.Ratio))).ToArray());
        }
        return t;
    }
}
