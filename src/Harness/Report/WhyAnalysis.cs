using IrqBench.Harness.Output;
using IrqBench.Harness.Stats;

namespace IrqBench.Harness.Report;

/// <summary>"Where it comes from": a design's difference from the baseline in one scenario, per work unit, as means
/// over paired seeds — the vCPU time split into hypervisor, guest and idle, and the hypervisor part traced to the
/// exit reasons whose handling time changed most (with how many more or fewer exits of each), so that each verdict
/// names the mechanism and the count behind it.</summary>
public static class WhyAnalysis
{
    public static string Explain(ComparisonData d, ScenarioVerdict v)
    {
        var c = d.CaseOf(v.Scenario);
        int n = v.Scenario.Vcpus;
        var cand = d.RunsOf(v.Verdict.Candidate, c, n);
        var b = d.RunsOf(v.Verdict.Baseline, c, n);
        if (CostRow.Of(d, c, n, v.Verdict.Candidate)?.Delta is not { } delta) return "–";
        var reasons = RunMetric.ExitKinds.Select(k =>
            {
                double count = SeedPairing.MeanDifference(cand, b, r => RunMetric.PerUnit(r, k.Read(r)));
                double ns = d.HasExitTimes ? SeedPairing.MeanDifference(cand, b, r => ExitNsPerUnit(d, r, k.Kind)) : double.NaN;
                return (k.Kind, Count: count, Ns: ns);
            })
            .Where(x => x.Count != 0 || (x.Ns is not 0 and not double.NaN))
            .OrderByDescending(x => d.HasExitTimes ? Math.Abs(x.Ns) : Math.Abs(x.Count)).Take(3)
            .Select(x => d.HasExitTimes ? $"{x.Kind} {Fmt.Signed(x.Ns)} ns from {Fmt.Signed(x.Count)} exits" : $"{Fmt.Signed(x.Count)} {x.Kind} exits")
            .ToList();
        string exits = reasons.Count == 0 ? "" : $" ({string.Join("; ", reasons)})";
        return $"per {c.WorkUnit}: hypervisor {Fmt.Signed(delta.Hyp)} vCPU-ns{exits}, guest {Fmt.Signed(delta.Guest)}, idle {Fmt.Signed(delta.Idle)}";
    }

    private static double ExitNsPerUnit(ComparisonData d, RunRow r, string reason) =>
        d.ExitsOf(r).FirstOrDefault(e => e.Reason == reason) is { } e && r.WorkUnits > 0 ? r.CyclesToNs(e.TotalCycles) / r.WorkUnits : 0;
}
