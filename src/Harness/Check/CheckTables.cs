using IrqBench.Harness.Report;

namespace IrqBench.Harness.Check;

/// <summary>A check as tables, built once for the text and the Markdown output: per metric (how many scenarios were
/// compared, how many moved or are missing, the largest change), and every row beyond its threshold.</summary>
public static class CheckTables
{
    public static TextTable PerMetric(BaselineCheck check)
    {
        var t = new TextTable("Per metric", ("metric", false), ("compared", true), ("moved", true), ("missing", true), ("profile changed", true), ("largest change", true));
        foreach (var g in check.Compared.GroupBy(c => c.Metric))
        {
            var worst = g.Where(c => c.Change is not null).OrderByDescending(c => Math.Abs(c.Change!.Value)).FirstOrDefault();
            t.Add(g.Key, g.Count().ToString(), Count(g, CheckStatus.Moved), Count(g, CheckStatus.Missing), Count(g, CheckStatus.ProfileChanged),
                worst is null ? "–" : Describe(worst));
        }
        return t;
    }

    public static TextTable Failures(BaselineCheck check, int maxRows)
    {
        var bad = check.Failures;
        var t = new TextTable($"Beyond threshold ({bad.Count})", ("scenario/metric", false), ("baseline", true), ("now", true), ("change", true),
            ("allowed ±", true), ("status", false))
        {
            Note = bad.Count > maxRows ? $"... and {bad.Count - maxRows} more" : null,
        };
        foreach (var c in bad.Take(maxRows))
            t.Add(c.Key, Fmt.Num(c.Baseline), c.Candidate is { } v ? Fmt.Num(v) : "missing", c.Change is null ? "–" : Describe(c), Fmt.Num(c.Allowed), c.StatusText);
        return t;
    }

    /// <param name="baseline">what the baseline is called in the sentences ("the baseline"; diff says "A")</param>
    public static IEnumerable<string> Notes(BaselineCheck check, string baseline = "the baseline")
    {
        foreach (var p in check.ChangedProfiles)
            yield return $"profile changed since {baseline}: {p} (an edited profile of the same name; regenerate {baseline} if the change is meant)";
        if (check.NotInBaseline.Count > 0)
            yield return $"{Plural.Of(check.NotInBaseline.Count, "metric")} not in {baseline} (new scenarios), e.g. {check.NotInBaseline[0]}";
    }

    private static string Count(IEnumerable<MetricComparison> g, CheckStatus s) => g.Count(c => c.Status == s).ToString();

    public static string Describe(MetricComparison c) =>
        Fmt.Signed(c.Change!.Value) + (c.RelativeChange is { } r ? $" ({Fmt.Signed(r * 100)} %)" : "");
}
