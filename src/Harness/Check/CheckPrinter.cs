using IrqBench.Harness.Report;
using Spectre.Console;

namespace IrqBench.Harness.Check;

/// <summary>Prints a check: one line per metric (how many scenarios compared, how many moved, the largest change),
/// then every row that moved or is missing, then the verdict.</summary>
public static class CheckPrinter
{
    public static void Print(BaselineCheck check, int maxRows = 60)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive) AnsiConsole.Profile.Width = 160;
        var perMetric = new Table().Border(TableBorder.Rounded).Title("Per metric");
        foreach (var h in new[] { "metric", "compared", "moved", "missing", "largest change" })
            perMetric.AddColumn(h == "metric" ? new TableColumn(h) : new TableColumn(h).RightAligned());
        foreach (var g in check.Compared.GroupBy(c => c.Metric))
        {
            var worst = g.Where(c => c.Change is not null).OrderByDescending(c => Math.Abs(c.Change!.Value)).FirstOrDefault();
            perMetric.AddRow(Markup.Escape(g.Key), g.Count().ToString(), Count(g, CheckStatus.Moved), Count(g, CheckStatus.Missing),
                worst is null ? "–" : Describe(worst));
        }
        AnsiConsole.Write(perMetric);

        var bad = check.Compared.Where(c => c.Status != CheckStatus.Ok).ToList();
        if (bad.Count > 0)
        {
            var rows = new Table().Border(TableBorder.Rounded).Title($"Beyond threshold ({bad.Count})");
            foreach (var h in new[] { "scenario/metric", "baseline", "now", "change", "allowed ±", "status" })
                rows.AddColumn(h == "scenario/metric" ? new TableColumn(h) : new TableColumn(h).RightAligned());
            foreach (var c in bad.Take(maxRows))
                rows.AddRow(Markup.Escape(c.Key), Fmt.Num(c.Baseline), c.Candidate is { } v ? Fmt.Num(v) : "missing",
                    c.Change is null ? "–" : Describe(c), Fmt.Num(c.Allowed), c.Status == CheckStatus.Moved ? "MOVED" : "MISSING");
            AnsiConsole.Write(rows);
            if (bad.Count > maxRows) AnsiConsole.WriteLine($"... and {bad.Count - maxRows} more");
        }
        if (check.NotInBaseline.Count > 0)
            AnsiConsole.WriteLine($"note: {check.NotInBaseline.Count} metrics are not in the baseline (new scenarios; regenerate the baseline to cover them), e.g. {check.NotInBaseline[0]}");
        AnsiConsole.WriteLine(check.Passed
            ? $"check passed: {check.Compared.Count} metrics within their thresholds"
            : $"check FAILED: {bad.Count} of {check.Compared.Count} metrics moved beyond their thresholds or are missing");
    }

    private static string Count(IEnumerable<MetricComparison> g, CheckStatus s) => g.Count(c => c.Status == s).ToString();

    private static string Describe(MetricComparison c) =>
        Fmt.Signed(c.Change!.Value) + (c.RelativeChange is { } r ? $" ({Fmt.Signed(r * 100)} %)" : "");
}
