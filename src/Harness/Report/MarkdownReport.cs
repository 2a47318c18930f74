using System.Text;
using IrqBench.Harness.Plots;
using IrqBench.Harness.Stats;

namespace IrqBench.Harness.Report;

/// <summary>report.md: the verdicts first (what rVIC costs against GICv3), then where (exits, synchronisation), then
/// every scenario's numbers, the plots and the micro-benchmarks. Only data goes in, no clock, so the same CSVs always
/// give the same report.</summary>
public static class MarkdownReport
{
    public static string Build(ComparisonData d, IReadOnlyList<RenderedPlot> plots, string plotsDir, string command)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# IrqBench: what a paravirtual interrupt controller costs against an emulated GICv3").AppendLine();
        sb.AppendLine($"Produced by `{command}`. Every number is simulated on the cost profiles in `profiles/`; each table cell and plot bar is a row " +
                      "of `summary.csv` (medians over seeds with 95% confidence intervals), `runs.csv` (one row per run), `counters.csv` (every counter of every run) " +
                      "or `microbench.csv` in this folder.").AppendLine();
        sb.AppendLine("The designs: **gicv3** is the emulated GICv3 as KVM's vgic handles it (trapped distributor and SGI accesses, list " +
                      "registers, kicks); **gicv4.1** adds direct injection of virtual LPIs and SGIs; **rvic** is Arm's paravirtual rVIC/rVID, " +
                      "driven by hypercalls; **ideal** delivers every interrupt with no trap and no hypervisor work, the lower bound. " +
                      "Time is simulated time per work unit (a hackbench message, a kbuild job); lower is better.").AppendLine();
        Verdicts(sb, d);
        Scenarios(sb, d);
        sb.AppendLine("## Plots").AppendLine();
        foreach (var p in plots)
            sb.AppendLine($"![{p.File}]({plotsDir}/{p.File})").AppendLine().AppendLine($"*{p.Caption}*").AppendLine();
        if (plots.Count == 0) sb.AppendLine("No plots: no runs in this folder.").AppendLine();
        Microbench(sb, d);
        sb.AppendLine("## Notes").AppendLine();
        foreach (var n in d.Notes) sb.AppendLine($"- {n}");
        sb.AppendLine($"- Verdict method: one-sided Mann-Whitney tests (Perfolizer) on simulated ns per work unit over seeds, threshold ±{Fmt.Num(Stats.Verdicts.ThresholdPercent)} %, " +
                      $"alpha {Fmt.Num(Stats.Verdicts.Alpha)}; 'indistinguishable' means both one-sided equivalence tests passed. Modelled runs differ across seeds only " +
                      "through the seeded randomness of the workload, so the intervals describe that randomness, not measurement noise.");
        return sb.ToString();
    }

    private static void Verdicts(StringBuilder sb, ComparisonData d)
    {
        sb.AppendLine("## Verdict").AppendLine();
        if (d.Verdicts.Count == 0)
        {
            sb.AppendLine($"No verdict: a verdict needs gicv3 and another design on the same workloads; this folder has {string.Join(", ", d.Controllers)}.").AppendLine();
            return;
        }
        foreach (var line in Headline.Lines(d.Verdicts)) sb.AppendLine($"**{line}.**").AppendLine();
        sb.AppendLine("| workload | vCPUs | verdict | where it comes from |").AppendLine("|---|---:|---|---|");
        foreach (var v in d.Verdicts)
            sb.AppendLine($"| {CaseLabel(d, v)} | {v.Vcpus} | {v.Verdict.Text} | {WhyAnalysis.Explain(d, v)} |");
        sb.AppendLine();
    }

    private static string CaseLabel(ComparisonData d, ScenarioVerdict v) =>
        d.Cases.First(c => c.Workload == v.Workload && c.Profile == v.Profile && c.Params == v.Params).Label;

    private static void Scenarios(StringBuilder sb, ComparisonData d)
    {
        if (d.Cases.Count == 0) return;
        sb.AppendLine("## Every scenario").AppendLine();
        sb.AppendLine("Medians over seeds, 95% CI in brackets where the seeds differ; ratios are of medians in the same scenario.").AppendLine();
        sb.AppendLine("| workload | vCPUs | controller | ns per unit | vs gicv3 | vs ideal | throughput /s | exits per unit | kicks per unit | p99 latency ns |");
        sb.AppendLine("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var c in d.Cases)
            foreach (int v in d.VcpusOf(c))
                foreach (var ctl in d.Controllers)
                {
                    if (d.Get(ctl, c, v, RunMetric.NsPerUnit.Name) is not { } t) continue;
                    var thr = d.Get(ctl, c, v, RunMetric.Throughput.Name)!;
                    var ex = d.Get(ctl, c, v, RunMetric.ExitsPerUnit.Name)!;
                    var p99 = d.Get(ctl, c, v, "irq_latency_p99_ns")!;
                    double kicks = d.MedianOf(ctl, c, v, r => RunMetric.PerUnit(r, r.Kicks)) ?? 0;
                    sb.AppendLine($"| {c.Label} ({c.WorkUnit}) | {v} | {ctl} | {Fmt.Ci95(t.Median, t.CiLower, t.CiUpper)} | {Fmt.Ratio(t.RatioVsGicv3)} | {Fmt.Ratio(t.RatioVsIdeal)} | " +
                                  $"{Fmt.Num(thr.Median)} | {Fmt.Num(ex.Median)} | {Fmt.Num(kicks)} | {Fmt.Num(p99.Median)} |");
                }
        sb.AppendLine();
    }

    private static void Microbench(StringBuilder sb, ComparisonData d)
    {
        if (d.Microbench.Count == 0) return;
        sb.AppendLine("## Micro-benchmarks (kvm-unit-tests arm/micro-bench shapes)").AppendLine();
        var controllers = d.Microbench.Select(m => m.Controller).Distinct().Order(ControllerOrder.Instance).ToList();
        sb.AppendLine("Average ns per operation in the model (exits per operation in brackets), and the published figure for the profile's machine.").AppendLine();
        sb.AppendLine($"| test | {string.Join(" | ", controllers)} | published ns | model / published |");
        sb.AppendLine($"|---|{string.Concat(controllers.Select(_ => "---:|"))}---:|---|");
        foreach (var test in d.Microbench.Select(m => m.Test).Distinct())
        {
            var cells = controllers.Select(c => d.Microbench.FirstOrDefault(m => m.Controller == c && m.Test == test) is { } m
                ? m.Skipped.Length > 0 ? "skipped" : $"{Fmt.Num(m.AvgNs)} ({Fmt.Num(m.ExitsPerOp)})"
                : "–");
            var withPub = d.Microbench.Where(m => m.Test == test && m.PublishedNs is > 0 && m.Ratio is not null).ToList();
            string pub = withPub.Count > 0 ? Fmt.Num(withPub[0].PublishedNs!.Value) : "–";
            string ratios = withPub.Count > 0 ? string.Join(", ", withPub.Select(m => $"{m.Controller} {Fmt.Ratio(m.Ratio)}")) : "–";
            sb.AppendLine($"| {test} | {string.Join(" | ", cells)} | {pub} | {ratios} |");
        }
        var skipped = d.Microbench.Where(m => m.Skipped.Length > 0).Select(m => $"{m.Controller} {m.Test}: {m.Skipped}").ToList();
        if (skipped.Count > 0) sb.AppendLine().AppendLine("Skipped: " + string.Join("; ", skipped) + ".");
        sb.AppendLine();
    }
}
