using System.Globalization;

namespace IrqBench.Harness.Tests;

/// <summary><c>irqbench check</c>: passes on results equal to the baseline, fails with exit 1 when a metric moved
/// beyond its threshold or is missing, and a threshold wide enough lets the move pass.</summary>
[Collection(CliCollection.Name)]
public sealed class CheckTests() : CheckFixture("""{ "default": { "relative": 0.0001, "absolute": 0.002 } }""")
{
    /// <summary>The baseline with the median of one metric row multiplied by <paramref name="factor"/> (a regression
    /// planted in the baseline, as if the model had changed since).</summary>
    private void RegressBaseline(string metric, double factor)
    {
        var lines = File.ReadAllLines(baseline).ToList();
        var header = lines[0].Split(',');
        int m = Array.IndexOf(header, "metric"), med = Array.IndexOf(header, "median");
        int row = lines.FindIndex(1, l => l.Split(',')[m] == metric);
        var cells = lines[row].Split(',');
        cells[med] = (double.Parse(cells[med], CultureInfo.InvariantCulture) * factor).ToString("R", CultureInfo.InvariantCulture);
        lines[row] = string.Join(',', cells);
        File.WriteAllText(baseline, string.Join('\n', lines) + "\n");
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
}
