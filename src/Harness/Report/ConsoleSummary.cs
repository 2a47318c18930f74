using IrqBench.Harness.Stats;
using Spectre.Console;

namespace IrqBench.Harness.Report;

/// <summary>The summary printed after a comparison: the verdicts, then one line per scenario and controller. Plain
/// text through Spectre tables (user text escaped), 160 columns wide so CI logs do not wrap.</summary>
public static class ConsoleSummary
{
    public static void Print(ComparisonData d)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive) AnsiConsole.Profile.Width = 160;
        var scen = new Table().Border(TableBorder.Rounded).Title("Scenarios (medians over seeds)");
        foreach (var h in new[] { "workload", "vCPUs", "controller", "ns/unit", "vs gicv3", "vs ideal", "exits/unit", "p99 latency ns" })
            scen.AddColumn(h is "workload" or "controller" ? new TableColumn(h) : new TableColumn(h).RightAligned());
        foreach (var c in d.Cases)
            foreach (int v in d.VcpusOf(c))
                foreach (var ctl in d.Controllers)
                {
                    if (d.Get(ctl, c, v, RunMetric.NsPerUnit.Name) is not { } t) continue;
                    scen.AddRow(Markup.Escape(c.Label), v.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(ctl),
                        Fmt.Num(t.Median), Fmt.Ratio(t.RatioVsGicv3), Fmt.Ratio(t.RatioVsIdeal),
                        Fmt.Num(d.Get(ctl, c, v, RunMetric.ExitsPerUnit.Name)!.Median), Fmt.Num(d.Get(ctl, c, v, "irq_latency_p99_ns")!.Median));
                }
        if (d.Cases.Count > 0) AnsiConsole.Write(scen);

        var mb = d.Microbench.Where(m => m.Skipped.Length == 0).ToList();
        if (mb.Count > 0)
        {
            var t = new Table().Border(TableBorder.Rounded).Title("Micro-benchmarks (ns per operation)");
            foreach (var h in new[] { "test", "controller", "avg ns", "exits/op", "published ns", "ratio" })
                t.AddColumn(h is "test" or "controller" ? new TableColumn(h) : new TableColumn(h).RightAligned());
            foreach (var m in mb)
                t.AddRow(Markup.Escape(m.Test), Markup.Escape(m.Controller), Fmt.Num(m.AvgNs), Fmt.Num(m.ExitsPerOp),
                    m.PublishedNs is { } p ? Fmt.Num(p) : "–", Fmt.Ratio(m.Ratio));
            AnsiConsole.Write(t);
        }

        AnsiConsole.WriteLine();
        if (d.Verdicts.Count == 0)
            AnsiConsole.WriteLine($"Verdict: none (needs gicv3 and another design on the same workload; ran: {string.Join(", ", d.Controllers)})");
        foreach (var v in d.Verdicts)
        {
            var c = d.Cases.First(x => x.Workload == v.Workload && x.Profile == v.Profile && x.Params == v.Params);
            AnsiConsole.WriteLine($"Verdict {c.Label}, {v.Vcpus} vCPUs: {v.Verdict.Text}");
            AnsiConsole.WriteLine($"  why: {WhyAnalysis.Explain(d, v)}");
        }
        foreach (var line in Headline.Lines(d.Verdicts)) AnsiConsole.WriteLine($"In short: {line}.");
        foreach (var n in d.Notes) AnsiConsole.WriteLine($"note: {n}");
    }
}
