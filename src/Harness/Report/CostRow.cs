using IrqBench.Harness.Output;

namespace IrqBench.Harness.Report;

/// <summary>One design's difference from the baseline in one scenario, per work unit, as means over the paired seeds:
/// wall time, and the vCPU time split into hypervisor, guest and idle. Because guest + hypervisor + idle is exactly
/// the simulated time times the vCPU count, Hyp + Guest + Idle = vCPUs × NsPerUnit (up to the CSVs' rounding).</summary>
public sealed record CostDelta(int Pairs, double NsPerUnit, double Hyp, double Guest, double Idle)
{
    public double VcpuNs => Hyp + Guest + Idle;
}

/// <summary>What one design costs in one scenario, per work unit, means over its seeds (means, so that the parts of
/// a difference add up): wall time, the hypervisor's vCPU-ns, and the hypervisor's share of all vCPU time
/// (hyp / (guest + hyp + idle)); and its difference from the baseline (null for the baseline itself).</summary>
public sealed record CostRow(WorkloadCase Case, int Vcpus, string Controller, int Seeds, double NsPerUnit, double HypNsPerUnit,
    double HypShare, CostDelta? Delta)
{
    public static double Hyp(RunRow r) => PerUnit(r, r.HypCycles);
    public static double Guest(RunRow r) => PerUnit(r, r.GuestCycles);
    public static double Idle(RunRow r) => PerUnit(r, r.IdleCycles);
    public static double Share(RunRow r) => r.GuestCycles + r.HypCycles + r.IdleCycles is var all and > 0 ? (double)r.HypCycles / all : 0;

    private static double PerUnit(RunRow r, long cycles) => r.WorkUnits > 0 ? r.CyclesToNs(cycles) / r.WorkUnits : 0;

    public static CostRow? Of(ComparisonData d, WorkloadCase c, int vcpus, string controller)
    {
        var runs = d.RunsOf(controller, c, vcpus);
        if (runs.Count == 0) return null;
        CostDelta? delta = null;
        var baseline = d.RunsOf(d.Baseline, c, vcpus);
        int pairs = Stats.SeedPairing.Values(runs, baseline, Stats.RunMetric.NsPerUnit.Read).Candidate.Length;
        if (controller != d.Baseline && pairs > 0)
        {
            double Mean(Func<RunRow, double> read) => Stats.SeedPairing.MeanDifference(runs, baseline, read);
            delta = new CostDelta(pairs, Mean(Stats.RunMetric.NsPerUnit.Read), Mean(Hyp), Mean(Guest), Mean(Idle));
        }
        return new CostRow(c, vcpus, controller, runs.Count, runs.Average(Stats.RunMetric.NsPerUnit.Read), runs.Average(Hyp), runs.Average(Share), delta);
    }

    /// <summary>Every design in every scenario on one profile, in report order.</summary>
    public static List<CostRow> On(ComparisonData d, ProfileInfo p) =>
        (from c in d.CasesOn(p)
         from v in d.VcpusOf(c)
         from ctl in d.Controllers
         let row = Of(d, c, v, ctl)
         where row is not null
         select row).ToList();
}
