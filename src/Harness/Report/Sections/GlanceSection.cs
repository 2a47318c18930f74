using IrqBench.Harness.Stats;

namespace IrqBench.Harness.Report.Sections;

/// <summary>The answer at a glance, at the top of report.md and at the end of the console summary: per organisation
/// and design, what the hypervisor costs per work unit of each workload at its largest vCPU count (where designs
/// differ most) and its share of vCPU time, then the verdicts against the baseline over all scenarios.</summary>
public static class GlanceSection
{
    public static TextTable? Table(ComparisonData d)
    {
        var workloads = d.Cases.Select(c => c.Workload).Distinct().ToList();
        if (workloads.Count == 0) return null;
        // The vCPU count of a column is the largest any organisation ran; a cell names its own only where it differs.
        var top = workloads.ToDictionary(w => w, w => d.Cases.Where(c => c.Workload == w).SelectMany(d.VcpusOf).DefaultIfEmpty(0).Max());
        var columns = new List<(string, bool)> { ("organisation", false), ("design", false) };
        columns.AddRange(workloads.Select(w => ($"{w} at {Plural.Of(top[w], "vCPU")}: hyp vCPU-ns per {d.Cases.First(c => c.Workload == w).WorkUnit} (share)", true)));
        columns.Add(($"verdicts vs {d.Baseline}, all scenarios", false));
        var t = new TextTable("At a glance", [.. columns])
        {
            Note = "Hypervisor time per work unit at each workload's largest vCPU count, means over seeds, and its share of all vCPU time; " +
                   "the verdicts count every scenario (vCPU counts) of the organisation, with the range of time ratios. Details below.",
        };
        foreach (var p in d.Profiles)
        {
            var cases = d.CasesOn(p).ToList();
            if (cases.Count == 0) continue;
            foreach (var ctl in d.Controllers.Where(ctl => cases.Any(c => d.ControllersOf(c).Contains(ctl))))
            {
                var cells = new List<string> { p.Label, ctl };
                foreach (var w in workloads)
                {
                    var c = cases.FirstOrDefault(x => x.Workload == w);
                    var row = c is null || d.VcpusOf(c).Count == 0 ? null : CostRow.Of(d, c, d.VcpusOf(c)[^1], ctl);
                    cells.Add(row is null ? "–" : $"{Fmt.Num(row.HypNsPerUnit)} ({Fmt.Percent(row.HypShare * 100)})" +
                                                  (row.Vcpus == top[w] ? "" : $" at {Plural.Of(row.Vcpus, "vCPU")}"));
                }
                cells.Add(Verdicts(d, p, ctl));
                t.Add([.. cells]);
            }
        }
        return t;
    }

    private static string Verdicts(ComparisonData d, ProfileInfo p, string ctl)
    {
        if (ctl == d.Baseline) return "(baseline)";
        var mine = d.Verdicts.Where(v => v.Verdict.Candidate == ctl && v.Scenario.Profile == p.Name && v.Scenario.ProfileSha256 == p.Sha256).ToList();
        if (mine.Count == 0) return "–";
        var counts = mine.GroupBy(v => v.Verdict.Kind).OrderByDescending(k => k.Count()).ThenBy(k => k.Key)
            .Select(k => $"{k.Count()} {Word(k.Key)}");
        double lo = mine.Min(v => v.Verdict.Ratio.Ratio), hi = mine.Max(v => v.Verdict.Ratio.Ratio);
        return $"{string.Join(", ", counts)}; ratio {(lo == hi ? Fmt.Ratio(lo) : $"{Fmt.Ratio(lo)}–{Fmt.Ratio(hi)}")}";
    }

    private static string Word(VerdictKind k) => k switch
    {
        VerdictKind.Slower => "slower",
        VerdictKind.Faster => "faster",
        VerdictKind.Equivalent => "equivalent",
        VerdictKind.TooFewSeeds => "too few seeds",
        _ => "inconclusive",
    };
}
