using System.Globalization;
using IrqBench.Harness.Stats;

namespace IrqBench.Harness.Report.Sections;

/// <summary>The verdicts after the cost: per organisation and design one line of counts ("rvic against gicv3 on
/// altra-vhe: slower by more than 5 % in 2 of 6 scenarios, …"), then one row per scenario with the paired ratio, its
/// interval, what the run can resolve, and where the difference comes from.</summary>
public static class VerdictSection
{
    /// <summary>The resolution the seed-count advice aims at: what the default suite is meant to resolve.</summary>
    public const double TargetResolutionPercent = 1;

    public static IEnumerable<string> Headlines(ComparisonData d) =>
        from p in d.Profiles
        let mine = d.Verdicts.Where(v => p.Name == v.Scenario.Profile && p.Sha256 == v.Scenario.ProfileSha256).ToList()
        from g in mine.GroupBy(v => v.Verdict.Candidate)
        select Headline(p, g.Key, g.ToList());

    private static string Headline(ProfileInfo p, string candidate, List<ScenarioVerdict> g)
    {
        var parts = g.GroupBy(v => v.Verdict.Kind).OrderByDescending(k => k.Count()).ThenBy(k => k.Key)
            .Select((k, i) => $"{k.First().Verdict.Short} in {k.Count()}" + (i == 0 ? $" of {Plural.Of(g.Count, "scenario")}" : ""));
        double lo = g.Min(v => v.Verdict.Ratio.Ratio), hi = g.Max(v => v.Verdict.Ratio.Ratio);
        string range = lo == hi ? Fmt.Ratio(lo) : $"{Fmt.Ratio(lo)}–{Fmt.Ratio(hi)}";
        return $"{candidate} against {g[0].Verdict.Baseline} on {p.Label}: {string.Join(", ", parts)}; time per work unit ratio {range}";
    }

    public static TextTable Table(ComparisonData d)
    {
        var t = new TextTable("",
            ("organisation", false), ("workload", false), ("vCPUs", true), ("design", false), ($"time ratio vs {d.Baseline} [95 % interval]", true),
            ("resolves", true), ($"seeds for ±{Fmt.Num(TargetResolutionPercent)} %", true), ("verdict", false), ("where it comes from", false))
        {
            Note = $"Time ratio: {PairedRatio.IntervalName}, of simulated time per work unit. Verdict threshold ±{Fmt.Num(d.Settings.ThresholdPercent)} %. " +
                   "'Resolves' is half the interval's width: the smallest difference this run tells from none. 'Seeds for' estimates the seeds " +
                   "that would resolve it, from the spread of the per-seed ratios.",
        };
        foreach (var v in d.Verdicts)
        {
            var c = d.CaseOf(v.Scenario);
            var r = v.Verdict.Ratio;
            t.Add(c.Profile.Label, $"{c.Workload} ({c.WorkUnit})", v.Scenario.Vcpus.ToString(CultureInfo.InvariantCulture), v.Verdict.Candidate,
                Fmt.Paired(r), Fmt.Resolution(r), r.SeedsFor(TargetResolutionPercent) is { } n ? n.ToString(CultureInfo.InvariantCulture) : "–",
                v.Verdict.Short, WhyAnalysis.Explain(d, v));
        }
        return t;
    }
}
