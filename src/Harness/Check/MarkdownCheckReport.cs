using System.Text;

namespace IrqBench.Harness.Check;

/// <summary><c>check --format markdown</c>: the check as a Markdown document for a CI job summary (GitHub's
/// $GITHUB_STEP_SUMMARY, GitLab's report): the verdict first, then the per-metric table, the rows beyond their
/// thresholds and the host timings.</summary>
public static class MarkdownCheckReport
{
    public static string Build(CheckOutcome o, int maxRows = 200)
    {
        var sb = new StringBuilder();
        sb.Append($"## irqbench check: {(o.Passed ? "passed" : "FAILED")}\n\n");
        sb.Append($"{o.Verdict}. Results `{o.Dir}` against `{o.BaselineFile}` with `{o.ThresholdsFile}`.\n\n");
        foreach (var n in CheckTables.Notes(o.Metrics)) sb.Append($"- {n}\n");
        if (CheckTables.Notes(o.Metrics).Any()) sb.Append('\n');
        sb.Append(CheckTables.PerMetric(o.Metrics).ToMarkdown());
        if (o.Metrics.Failures.Count > 0) sb.Append(CheckTables.Failures(o.Metrics, maxRows).ToMarkdown());
        if (o.Host.Count > 0)
        {
            var t = new Report.TextTable("Host timings", ("benchmark", false), ("result", false));
            foreach (var h in o.Host) t.Add(h.Benchmark, h.Text);
            sb.Append(t.ToMarkdown());
        }
        return sb.ToString();
    }
}
