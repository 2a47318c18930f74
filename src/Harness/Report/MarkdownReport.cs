using System.Text;
using IrqBench.Harness.Plots;
using IrqBench.Harness.Report.Sections;
using IrqBench.Harness.Stats;

namespace IrqBench.Harness.Report;

/// <summary>report.md: the answer at a glance, then the cost (per organisation: what each design costs per work unit and per
/// micro-benchmark operation, and where its difference from the baseline goes), then the paired verdicts, then the
/// exits by reason, the plots (and those not drawn, with why), every scenario's numbers and the method. Only data goes
/// in, no clock, so the same CSVs always give the same report.</summary>
public static class MarkdownReport
{
    public static string Build(ComparisonData d, PlotSet plots, string plotsDir)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# IrqBench: what each interrupt-controller design costs, per hypervisor organisation").AppendLine();
        sb.AppendLine($"Produced by `{d.Settings.Command}`. Every number is simulated on the cost profiles below; each cell is traced to a row of " +
                      "`runs.csv` (one row per run), `exits.csv` (exits by reason), `latency.csv` (latency quantiles), `counters.csv` (every counter), " +
                      "`microbench.csv` or `summary.csv` in this folder; `summary.json` holds the same tables for programs.").AppendLine();
        sb.AppendLine("The designs: **gicv3** is the emulated GICv3 as KVM's vgic handles it (trapped distributor and SGI accesses, list " +
                      "registers, kicks); **gicv4.1** adds direct injection of virtual LPIs and SGIs; **rvic** is Arm's paravirtual rVIC/rVID, " +
                      "driven by hypercalls; **ideal** delivers every interrupt with no trap and no hypervisor work, the lower bound. " +
                      $"Differences and ratios are against **{d.Baseline}**, seed by seed (every design runs the same seeds).").AppendLine();
        if (GlanceSection.Table(d) is { } glance) sb.Append(glance.ToMarkdown());
        Profiles(sb, d);
        sb.AppendLine("## What it costs").AppendLine();
        if (d.Profiles.Count == 0) sb.AppendLine("No runs in this folder.").AppendLine();
        foreach (var p in d.Profiles)
        {
            sb.AppendLine($"### {p.Title}").AppendLine();
            if (CostSection.Costs(d, p) is { } costs) sb.Append(costs.ToMarkdown());
            if (CostSection.Microbench(d, p) is { } micro) sb.Append(micro.ToMarkdown());
        }
        Verdicts(sb, d);
        sb.AppendLine("## Where the hypervisor time goes").AppendLine();
        var exits = ExitSection.Tables(d).ToList();
        if (exits.Count == 0)
            sb.AppendLine(d.Runs.Count == 0 ? "No workload runs in this folder (micro-benchmarks only)."
                : "No exits by reason: this folder has no exits.csv (written by compare, run and sweep since exit handling times were recorded).").AppendLine();
        foreach (var t in exits) sb.Append(t.ToMarkdown());
        var stages = LatencyStageSection.Tables(d).ToList();
        if (stages.Count > 0)
        {
            sb.AppendLine("## Where each interrupt's latency goes").AppendLine();
            foreach (var t in stages) sb.Append(t.ToMarkdown());
        }
        if (d.Trust is { } trust) sb.Append(Trust.TrustReport.Markdown(trust.Forgery, trust.Surface, headingLevel: 2));
        Plots(sb, plots, plotsDir);
        if (ScenarioSection.Table(d) is { } every) sb.AppendLine("## Every scenario").AppendLine().Append(every.ToMarkdown());
        Method(sb, d);
        return sb.ToString();
    }

    private static void Profiles(StringBuilder sb, ComparisonData d)
    {
        var withRuns = d.Profiles.Where(p => p.Sha256.Length > 0).ToList();
        if (withRuns.Count == 0) return;
        var t = new TextTable("Profiles", ("profile", false), ("organisation", false), ("clock", true), ("file", false), ("sha256", false));
        foreach (var p in withRuns)
            t.Add(p.Label, p.Organisation, p.FrequencyHz > 0 ? $"{Fmt.Num(p.FrequencyHz / 1e9)} GHz" : "–", p.File.Length > 0 ? $"`{p.File}`" : "–", $"`{p.Sha256}`");
        sb.Append(t.ToMarkdown());
    }

    private static void Verdicts(StringBuilder sb, ComparisonData d)
    {
        sb.AppendLine($"## Verdicts against {d.Baseline}").AppendLine();
        if (d.Verdicts.Count == 0)
        {
            sb.AppendLine($"No verdict: a verdict needs {d.Baseline} and another design on the same workloads; this folder has {string.Join(", ", d.Controllers)}.").AppendLine();
            return;
        }
        foreach (var line in VerdictSection.Headlines(d)) sb.AppendLine($"- **{line}.**");
        sb.AppendLine().Append(VerdictSection.Table(d).ToMarkdown());
    }

    private static void Plots(StringBuilder sb, PlotSet plots, string plotsDir)
    {
        sb.AppendLine("## Plots").AppendLine();
        foreach (var p in plots.Drawn)
            sb.AppendLine($"![{p.File}]({plotsDir}/{p.File})").AppendLine().AppendLine($"*{p.Caption}*").AppendLine();
        if (plots.Drawn.Count == 0) sb.AppendLine("No plots.").AppendLine();
        if (plots.Skipped.Count > 0)
        {
            sb.AppendLine("Not drawn, because the plot would show nothing:").AppendLine();
            foreach (var s in plots.Skipped) sb.AppendLine($"- {s}");
            sb.AppendLine();
        }
    }

    private static void Method(StringBuilder sb, ComparisonData d)
    {
        sb.AppendLine("## Method and notes").AppendLine();
        sb.AppendLine($"- Ratios: the {PairedRatio.EstimateName} (the median of the Walsh averages of the per-seed log ratios, exponentiated), " +
                      $"one definition for every ratio in this folder. Intervals: the {PairedRatio.IntervalName}, which needs at least " +
                      $"{Plural.Of(PairedRatio.MinimumPairs, "paired seed")}; its exact coverage is in summary.json.");
        sb.AppendLine($"- Verdicts: slower (faster) when the whole interval lies above 1 + {Fmt.Num(d.Settings.ThresholdPercent)} % (below 1 − " +
                      $"{Fmt.Num(d.Settings.ThresholdPercent)} %), equivalent when it lies inside the band (two one-sided tests at 2.5 %), " +
                      "otherwise inconclusive; too few seeds when no 95 % interval exists.");
        sb.AppendLine("- Modelled runs differ across seeds only through the workloads' seeded randomness, which a seed's runs share across designs; " +
                      "the intervals describe what the seeds do to the comparison, not measurement noise.");
        foreach (var n in d.Notes) sb.AppendLine($"- {n}");
    }
}
