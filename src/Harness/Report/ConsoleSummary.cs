using IrqBench.Harness.Report.Sections;
using Spectre.Console;

namespace IrqBench.Harness.Report;

/// <summary>The summary printed after a comparison: per organisation the cost tables (per work unit and per
/// micro-benchmark operation), one line per verdict with where it comes from, and last, where a terminal leaves it in
/// view, the verdict counts and the at-a-glance table that opens report.md. Plain text through Spectre tables (user text escaped), 160 columns wide so CI logs do not wrap.</summary>
public static class ConsoleSummary
{
    public static void Print(ComparisonData d)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive) AnsiConsole.Profile.Width = 160;
        foreach (var p in d.Profiles)
        {
            if (CostSection.Costs(d, p) is { } costs) AnsiConsole.Write(costs.ToSpectre());
            if (CostSection.Microbench(d, p) is { } micro) AnsiConsole.Write(micro.ToSpectre());
        }
        AnsiConsole.WriteLine();
        if (d.Verdicts.Count == 0)
            AnsiConsole.WriteLine($"Verdict: none (needs {d.Baseline} and another design on the same workload; ran: {string.Join(", ", d.Controllers)})");
        foreach (var v in d.Verdicts)
        {
            var c = d.CaseOf(v.Scenario);
            AnsiConsole.WriteLine($"Verdict {c.Label}, {Plural.Of(v.Scenario.Vcpus, "vCPU")}: {v.Verdict.Text}");
            AnsiConsole.WriteLine($"  where: {WhyAnalysis.Explain(d, v)}");
        }
        foreach (var n in d.Notes) AnsiConsole.WriteLine($"note: {n}");
        foreach (var line in VerdictSection.Headlines(d)) AnsiConsole.WriteLine($"In short: {line}.");
        if (GlanceSection.Table(d) is { } glance) AnsiConsole.Write(glance.ToSpectre());
    }
}
