using IrqBench.Harness.Output;
using IrqBench.Harness.Stats;

namespace IrqBench.Harness.Report;

/// <summary>"Why": the per-work-unit differences between a design and gicv3 in one scenario, largest first, in exit
/// kinds and synchronisation events, so that each verdict comes with the mechanism behind it.</summary>
public static class WhyAnalysis
{
    public static string Explain(ComparisonData d, ScenarioVerdict v)
    {
        var c = d.Cases.First(x => x.Workload == v.Workload && x.Profile == v.Profile && x.Params == v.Params);
        var sources = RunMetric.ExitKinds.Select(k => ($"{k.Kind} exits", (Func<RunRow, double>)(r => k.Read(r))))
            .Concat(RunMetric.SyncEvents.Select(e => (e.Name, (Func<RunRow, double>)(r => e.Read(r)))))
            .Append(("hypervisor kcycles", r => r.HypCycles / 1000.0));
        var deltas = new List<(string Name, double Delta, double Base)>();
        foreach (var (name, read) in sources)
        {
            double a = d.MedianOf(v.Verdict.Candidate, c, v.Vcpus, r => RunMetric.PerUnit(r, read(r))) ?? 0;
            double b = d.MedianOf(v.Verdict.Baseline, c, v.Vcpus, r => RunMetric.PerUnit(r, read(r))) ?? 0;
            if (a != b) deltas.Add((name, a - b, b));
        }
        if (deltas.Count == 0) return "no difference in exits or synchronisation events per " + c.WorkUnit;
        var top = deltas.Where(x => !x.Name.StartsWith("hypervisor", StringComparison.Ordinal))
            .OrderByDescending(x => Math.Abs(x.Delta)).Take(3)
            .Select(x => $"{Fmt.Signed(x.Delta)} {x.Name}");
        var hyp = deltas.FirstOrDefault(x => x.Name.StartsWith("hypervisor", StringComparison.Ordinal));
        string hypText = hyp.Name is null ? "" : $"; hypervisor time {Fmt.Signed(hyp.Delta)} kcycles per {c.WorkUnit} ({v.Verdict.Baseline}: {Fmt.Num(hyp.Base)})";
        return $"per {c.WorkUnit} against {v.Verdict.Baseline}: {string.Join(", ", top)}{hypText}";
    }
}
