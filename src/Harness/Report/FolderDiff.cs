using IrqBench.Harness.Check;
using IrqBench.Harness.Output;
using IrqBench.Harness.Stats;

namespace IrqBench.Harness.Report;

/// <summary>Two results folders side by side (<c>irqbench diff</c>): the verdicts of both per scenario and design, with
/// those whose class changed marked, and the summary metrics that moved from A to B beyond their thresholds (the
/// check's rule, with A as the baseline).</summary>
public sealed record FolderDiff(ComparisonData A, ComparisonData B, IReadOnlyList<FolderDiff.VerdictPair> Verdicts, BaselineCheck Metrics)
{
    public sealed record VerdictPair(ScenarioKey Scenario, string Candidate, Verdict? A, Verdict? B)
    {
        public bool Changed => A?.Kind != B?.Kind;
    }

    public int ChangedVerdicts => Verdicts.Count(v => v.Changed);
    public bool NothingMoved => ChangedVerdicts == 0 && Metrics.Passed && Metrics.NotInBaseline.Count == 0;

    public static FolderDiff Of(ComparisonData a, ComparisonData b, Thresholds t, string nameA)
    {
        var va = a.Verdicts.ToDictionary(v => (v.Scenario, v.Verdict.Candidate), v => v.Verdict);
        var vb = b.Verdicts.ToDictionary(v => (v.Scenario, v.Verdict.Candidate), v => v.Verdict);
        var pairs = va.Keys.Union(vb.Keys).OrderBy(k => k.Scenario).ThenBy(k => k.Candidate, ControllerOrder.Instance)
            .Select(k => new VerdictPair(k.Scenario, k.Candidate, va.GetValueOrDefault(k), vb.GetValueOrDefault(k))).ToList();
        // An empty side (a folder of micro-benchmarks only has summary rows, but one of nothing has none) is no baseline.
        var metrics = a.Summary.Count == 0
            ? new BaselineCheck([], b.Summary.Select(r => r.CheckKey).ToList(), [])
            : BaselineCheck.Run(nameA, a.Summary, b.Summary, t);
        return new FolderDiff(a, b, pairs, metrics);
    }

    public TextTable VerdictTable()
    {
        var t = new TextTable("Verdicts", ("scenario", false), ("design", false), ("A: ratio [95 % interval]", true), ("A", false),
            ("B: ratio [95 % interval]", true), ("B", false), ("", false));
        foreach (var v in Verdicts)
            t.Add($"{v.Scenario.Workload} on {v.Scenario.Profile}, {Plural.Of(v.Scenario.Vcpus, "vCPU")}", v.Candidate,
                Fmt.Paired(v.A?.Ratio), v.A?.Short ?? "–", Fmt.Paired(v.B?.Ratio), v.B?.Short ?? "–", v.Changed ? "CHANGED" : "");
        return t;
    }
}
