using System.Globalization;
using System.Xml.Linq;

namespace IrqBench.Harness.Tests;

/// <summary><c>irqbench check</c>: passes on results equal to the baseline, fails with exit 1 when a metric moved
/// beyond its threshold or is missing, and a threshold wide enough lets the move pass.</summary>
[Collection(CliCollection.Name)]
public sealed class CheckTests() : CheckFixture("""{ "default": { "relative": 0.0001, "absolute": 0.002 } }""")
{
    /// <summary>The baseline with the median of one metric row multiplied by <paramref name="factor"/> (a regression
    /// planted in the baseline, as if the model had changed since).</summary>
    private void RegressBaseline(string metric, double factor) =>
        EditBaseline(metric, "median", v => (double.Parse(v, CultureInfo.InvariantCulture) * factor).ToString("R", CultureInfo.InvariantCulture));

    /// <summary>The baseline with one column of the first row of <paramref name="metric"/> rewritten.</summary>
    private void EditBaseline(string metric, string column, Func<string, string> edit)
    {
        var lines = File.ReadAllLines(baseline).ToList();
        var header = lines[0].Split(',');
        int m = Array.IndexOf(header, "metric"), col = Array.IndexOf(header, column);
        int row = lines.FindIndex(1, l => l.Split(',')[m] == metric);
        var cells = lines[row].Split(',');
        cells[col] = edit(cells[col]);
        lines[row] = string.Join(',', cells);
        File.WriteAllText(baseline, string.Join('\n', lines) + "\n");
    }

    private (int Exit, string Out) Check(params string[] extra)
    {
        var (exit, output, _) = Cli.RunCapturing(["check", "--baseline", baseline, "--thresholds", thresholds, "--in", QuickCompare.Folder, .. extra]);
        return (exit, output);
    }

    [Fact]
    public void Passes_on_an_equal_baseline()
    {
        Assert.Equal(0, Cli.Run("check", "--baseline", baseline, "--thresholds", thresholds, "--in", QuickCompare.Folder).Exit);
    }

    [Fact]
    public void Passes_on_a_fresh_quick_compare_without_in()
    {
        Assert.Equal(0, Cli.Run("check", "--baseline", baseline, "--thresholds", thresholds).Exit);
    }

    [Fact]
    public void Fails_with_exit_1_on_a_regressed_baseline()
    {
        RegressBaseline("avg_ns", 0.9);
        Assert.Equal(1, Cli.Run("check", "--baseline", baseline, "--thresholds", thresholds, "--in", QuickCompare.Folder).Exit);
    }

    [Fact]
    public void A_threshold_wider_than_the_move_passes()
    {
        RegressBaseline("avg_ns", 0.9);
        string wide = tmp.Write("wide.json", """{ "default": { "relative": 0.0001 }, "metrics": { "avg_ns": { "relative": 0.2 } } }""");
        Assert.Equal(0, Cli.Run("check", "--baseline", baseline, "--thresholds", wide, "--in", QuickCompare.Folder).Exit);
        string ignore = tmp.Write("ignore.json", """{ "default": { "relative": 0.0001 }, "ignore": ["avg_ns"] }""");
        Assert.Equal(0, Cli.Run("check", "--baseline", baseline, "--thresholds", ignore, "--in", QuickCompare.Folder).Exit);
    }

    [Fact]
    public void Fails_when_a_baseline_metric_is_missing_from_the_results()
    {
        var lines = File.ReadAllLines(baseline).ToList();
        // A row for a design that the fresh results do not have (whichever row names ideal, renamed).
        lines.Add(lines.Skip(1).First(l => l.Contains("ideal,", StringComparison.Ordinal)).Replace("ideal,", "gicv9,"));
        File.WriteAllText(baseline, string.Join('\n', lines) + "\n");
        Assert.Equal(1, Cli.Run("check", "--baseline", baseline, "--thresholds", thresholds, "--in", QuickCompare.Folder).Exit);
    }

    [Fact]
    public void Junit_output_is_a_test_case_per_metric_of_each_scenario_with_failures_for_the_regressions()
    {
        RegressBaseline("avg_ns", 0.9);
        var (exit, output) = Check("--format", "junit");
        Assert.Equal(1, exit);
        var doc = XDocument.Parse(output);
        var cases = doc.Descendants("testcase").ToList();
        int rows = File.ReadAllLines(baseline).Length - 1;
        Assert.Equal(rows, cases.Count);
        Assert.Equal(rows, (int)doc.Root!.Attribute("tests")!);
        var failed = cases.Where(c => c.Element("failure") is not null).ToList();
        Assert.Single(failed);
        Assert.Equal("avg_ns", (string)failed[0].Attribute("classname")!);
        Assert.Contains("MOVED", (string)failed[0].Element("failure")!.Attribute("message")!);
        Assert.Equal(1, (int)doc.Root.Attribute("failures")!);
    }

    [Fact]
    public void Junit_output_of_a_passing_check_has_no_failures()
    {
        var (exit, output) = Check("--format", "junit");
        Assert.Equal(0, exit);
        Assert.Empty(XDocument.Parse(output).Descendants("failure"));
    }

    [Fact]
    public void Markdown_output_is_a_verdict_line_and_a_table_per_metric()
    {
        RegressBaseline("avg_ns", 0.9);
        var (exit, output) = Check("--format", "markdown");
        Assert.Equal(1, exit);
        Assert.StartsWith("## irqbench check: FAILED", output);
        var table = output.Split('\n').SkipWhile(l => !l.StartsWith("| metric |", StringComparison.Ordinal)).TakeWhile(l => l.StartsWith('|')).ToList();
        Assert.Equal("|---|---:|---:|---:|---:|---:|", table[1]);
        Assert.Contains(table, l => l.StartsWith("| avg_ns | ", StringComparison.Ordinal) && l.Contains("| 1 |"));
        Assert.Contains("| MOVED |", output);
    }

    [Fact]
    public void A_profile_whose_content_changed_fails_the_check_and_is_named()
    {
        EditBaseline("ns_per_unit", "profile_sha256", _ => new string('0', 64));
        var (exit, output) = Check();
        Assert.Equal(1, exit);
        Assert.Contains("profile changed since the baseline: altra-vhe: baseline sha256 000000000000…", output);
        Assert.Contains("PROFILE CHANGED", output);
    }

    [Fact]
    public void A_baseline_written_before_profiles_were_hashed_is_still_compared()
    {
        // The profile_sha256 column dropped, as in summary.csv files from before it existed: nothing to tell, so it passes.
        var lines = File.ReadAllLines(baseline);
        int col = Array.IndexOf(lines[0].Split(','), "profile_sha256");
        File.WriteAllLines(baseline, lines.Select(l => string.Join(',', l.Split(',').Where((_, i) => i != col))));
        Assert.DoesNotContain("profile_sha256", File.ReadAllText(baseline));
        Assert.Equal(0, Check().Exit);
    }
}
