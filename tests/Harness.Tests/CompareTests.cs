namespace IrqBench.Harness.Tests;

/// <summary><c>irqbench compare</c> and <c>report</c>: the same command gives the same bytes, and report regenerates
/// the derived files exactly.</summary>
[Collection(CliCollection.Name)]
public sealed class CompareTests : IDisposable
{
    private readonly TempDir tmp = new();

    public void Dispose() => tmp.Dispose();

    private static readonly string[] Files = ["runs.csv", "counters.csv", "summary.csv", "microbench.csv", "report.md"];

    [Fact]
    public void Compare_quick_twice_gives_byte_identical_outputs()
    {
        Assert.Equal(0, Cli.Run("compare", "--quick", "--out", tmp["again"]).Exit);
        foreach (var f in Files)
            Assert.Equal(File.ReadAllBytes(Path.Combine(QuickCompare.Folder, f)), File.ReadAllBytes(Path.Combine(tmp["again"], f)));
        Assert.NotEmpty(File.ReadAllLines(Path.Combine(tmp["again"], "microbench.csv")).Skip(1));
        Assert.True(File.Exists(Path.Combine(tmp["again"], "plots", "microbench.png")));
    }

    [Fact]
    public void Report_regenerates_summary_and_report_from_the_csvs()
    {
        QuickCompare.CopyTo(tmp["a"]);
        string summary = File.ReadAllText(Path.Combine(tmp["a"], "summary.csv"));
        File.Delete(Path.Combine(tmp["a"], "summary.csv"));
        File.Delete(Path.Combine(tmp["a"], "report.md"));
        Assert.Equal(0, Cli.Run("report", "--in", tmp["a"]).Exit);
        Assert.Equal(summary, File.ReadAllText(Path.Combine(tmp["a"], "summary.csv")));
        Assert.Contains("## Micro-benchmarks", File.ReadAllText(Path.Combine(tmp["a"], "report.md")));
    }

    [Fact]
    public void Report_on_a_folder_without_results_exits_2()
    {
        var (exit, err) = Cli.Run("report", "--in", tmp.Path);
        Assert.Equal(2, exit);
        Assert.Contains("neither runs.csv nor microbench.csv", err);
    }
}
