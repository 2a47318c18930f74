using System.Globalization;

namespace IrqBench.Harness.Tests;

/// <summary><c>irqbench diff</c>: a folder against itself moves nothing; a run made slower shows as a moved metric and
/// the changed ratio, side by side.</summary>
[Collection(CliCollection.Name)]
public sealed class DiffTests : IDisposable
{
    private readonly TempDir tmp = new();

    public void Dispose() => tmp.Dispose();

    [Fact]
    public void A_folder_diffed_with_itself_reports_nothing_moved()
    {
        var (exit, output, err) = Cli.RunCapturing("diff", QuickCompare.Folder, QuickCompare.Folder);
        Assert.Equal(0, exit);
        Assert.Equal("", err);
        Assert.Contains("nothing moved:", output);
        Assert.DoesNotContain("CHANGED", output);
    }

    [Fact]
    public void A_slower_run_in_b_shows_as_a_moved_metric_and_a_changed_ratio()
    {
        QuickCompare.CopyTo(tmp["b"]);
        // Every rvic run of B 30 % slower: its ns per unit moves, and so does its ratio against gicv3.
        string runs = Path.Combine(tmp["b"], "runs.csv");
        var lines = File.ReadAllLines(runs);
        int sim = Array.IndexOf(lines[0].Split(','), "sim_ns");
        for (int i = 1; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',');
            if (cells[0] != "rvic") continue;
            cells[sim] = (double.Parse(cells[sim], CultureInfo.InvariantCulture) * 1.3).ToString("R", CultureInfo.InvariantCulture);
            lines[i] = string.Join(',', cells);
        }
        File.WriteAllText(runs, string.Join('\n', lines) + "\n");
        var (exit, output, _) = Cli.RunCapturing("diff", QuickCompare.Folder, tmp["b"]);
        Assert.Equal(0, exit);
        Assert.DoesNotContain("nothing moved", output);
        Assert.Contains("CHANGED", output);
        Assert.Contains("rvic/hackbench/altra-vhe/v4/", output);
        Assert.Contains("MOVED", output);
    }
}
