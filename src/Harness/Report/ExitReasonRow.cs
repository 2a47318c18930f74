using IrqBench.Harness.Output;

namespace IrqBench.Harness.Report;

/// <summary>
/// One line of the exit table, as <c>perf kvm stat report</c> prints it: for one exit reason of one design in one
/// scenario, summed over the seeds (as a longer recording would be), how many exits and what share of all exits,
/// their total hypervisor handling time and its share of all hypervisor time, and the average, shortest and longest
/// single exit. Hypervisor time outside exit handling (none, or nearly, in this model) is its own line, so the time
/// column adds up to the hypervisor time of runs.csv.
/// </summary>
public sealed record ExitReasonRow(string Reason, long Exits, double ExitsPercent, double TotalNs, double HypPercent, double? AvgNs, double? MinNs, double? MaxNs)
{
    public const string OtherHypervisorTime = "(outside exit handling)";

    public static List<ExitReasonRow> Of(ComparisonData d, IReadOnlyList<RunRow> runs)
    {
        var rows = runs.SelectMany(r => d.ExitsOf(r).Select(e => (Run: r, Exit: e))).ToList();
        long allExits = rows.Sum(x => x.Exit.Exits);
        double hypNs = runs.Sum(r => r.CyclesToNs(r.HypCycles));
        double Pct(double part, double whole) => whole > 0 ? part / whole * 100 : 0;
        var list = rows.GroupBy(x => x.Exit.Reason)
            .Select(g =>
            {
                long n = g.Sum(x => x.Exit.Exits);
                double total = g.Sum(x => x.Run.CyclesToNs(x.Exit.TotalCycles));
                var occurred = g.Where(x => x.Exit.Exits > 0).ToList();
                return new ExitReasonRow(g.Key, n, Pct(n, allExits), total, Pct(total, hypNs), n > 0 ? total / n : null,
                    occurred.Count > 0 ? occurred.Min(x => x.Run.CyclesToNs(x.Exit.MinCycles)) : null,
                    occurred.Count > 0 ? occurred.Max(x => x.Run.CyclesToNs(x.Exit.MaxCycles)) : null);
            })
            .Where(r => r.Exits > 0)
            .OrderByDescending(r => r.Exits).ThenBy(r => r.Reason, StringComparer.Ordinal)
            .ToList();
        double outside = hypNs - list.Sum(r => r.TotalNs);
        // More than rounding: hypervisor time that the exits do not account for, kept visible (either sign) rather than
        // spread over the reasons.
        if (Math.Abs(outside) > 1e-6 * Math.Max(1, hypNs))
            list.Add(new ExitReasonRow(OtherHypervisorTime, 0, 0, outside, Pct(outside, hypNs), null, null, null));
        return list;
    }
}
