using System.Text.Json;
using IrqBench.Harness.Output;

namespace IrqBench.Harness.Tests;

/// <summary><c>run</c>'s views inside one run: the trace file, the exit report (whole VM or one vCPU), the latency
/// stages and their histograms; and the bad values of their options, refused before anything runs or is written.</summary>
[Collection(CliCollection.Name)]
public class RunInspectTests
{
    private static readonly string[] Ipi = ["run", "--controller", "rvic", "--workload", "microbench", "--set", "test=ipi"];

    [Fact]
    public void A_traced_run_writes_a_trace_that_parses_the_exit_report_and_the_stages_and_the_same_runs_csv_as_untraced()
    {
        using var t = new TempDir();
        var (exit, err) = Cli.Run([.. Ipi, "--trace", t["ipi.json"], "--trace-window", "100:300", "--out", t["traced"]]);
        Assert.True(exit == 0, err);
        (exit, err) = Cli.Run([.. Ipi, "--out", t["plain"]]);
        Assert.True(exit == 0, err);
        Assert.Equal(File.ReadAllText(t["plain/runs.csv"]), File.ReadAllText(t["traced/runs.csv"]));
        Assert.Equal(File.ReadAllText(t["plain/latency_stages.csv"]), File.ReadAllText(t["traced/latency_stages.csv"]));

        using var doc = JsonDocument.Parse(File.ReadAllText(t["ipi.json"]));
        var events = doc.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
        var slices = events.Where(e => e.GetProperty("ph").GetString() == "X").ToList();
        Assert.NotEmpty(slices);
        Assert.All(slices, e => Assert.InRange(e.GetProperty("ts").GetDouble(), 100, 300)); // the window, in simulated µs

        Assert.Contains("Analyze exits for all vCPUs", File.ReadAllText(t["traced/exit_report.txt"]));
        var stages = CsvFiles.ReadLatencyStages(t["traced/latency_stages.csv"]);
        Assert.Equal(6, stages.Count(s => s.Kind == "ipi"));
        Assert.Equal(6, Directory.GetFiles(t["traced/hgrm"], "ipi-*.hgrm").Length);
    }

    [Fact]
    public void The_exit_report_of_one_vcpu_counts_only_its_exits()
    {
        using var t = new TempDir();
        var (exit, output, err) = Cli.RunCapturing([.. Ipi, "--vcpu", "1", "--out", t["one"]]);
        Assert.True(exit == 0, err);
        Assert.Contains("Analyze exits for vCPU 1", output);
        // vCPU 1 receives: it takes every kick, and sends no SIGNAL, so it has fewer hypercall exits than the VM.
        string all = Cli.RunCapturing([.. Ipi, "--out", t["all"]]).Out;
        long Samples(string text) => long.Parse(text.Split('\n').First(l => l.StartsWith("Total Samples")).Split(':', ',')[1].Trim());
        Assert.True(Samples(output) < Samples(all));
    }

    [Theory]
    [InlineData("--trace-window", "100:200", "give --trace FILE too")]
    [InlineData("--vcpu", "2", "--vcpu 2: the run has vCPUs 0 to 1")]
    [InlineData("--vcpu", "-1", "--vcpu -1")]
    public void A_bad_inspection_option_is_exit_2_with_nothing_written(string option, string value, string message)
    {
        using var t = new TempDir();
        var (exit, err) = Cli.Run([.. Ipi, option, value, "--out", t["x"]]);
        Assert.Equal(2, exit);
        Assert.Contains(message, err);
        Assert.False(File.Exists(t["x/runs.csv"]));
    }

    [Theory]
    [InlineData("300:100", "END must be after START")]
    [InlineData("abc:100", "START 'abc'")]
    [InlineData("100", "expected START:END")]
    public void A_bad_trace_window_is_exit_2_and_leaves_no_trace(string window, string message)
    {
        using var t = new TempDir();
        var (exit, err) = Cli.Run([.. Ipi, "--trace", t["x.json"], "--trace-window", window, "--out", t["x"]]);
        Assert.Equal(2, exit);
        Assert.Contains(message, err);
        Assert.False(File.Exists(t["x.json"]));
    }

    [Fact]
    public void A_trace_path_that_is_a_folder_is_exit_2()
    {
        using var t = new TempDir();
        Directory.CreateDirectory(t["dir"]);
        var (exit, err) = Cli.Run([.. Ipi, "--trace", t["dir"], "--out", t["x"]]);
        Assert.Equal(2, exit);
        Assert.Contains("is a folder", err);
    }

    [Fact]
    public void Gantt_draws_two_traces_one_above_the_other_and_refuses_what_it_cannot_draw()
    {
        using var t = new TempDir();
        Assert.Equal(0, Cli.Run([.. Ipi, "--trace", t["a.json"], "--trace-window", "220:240", "--out", t["a"]]).Exit);
        Assert.Equal(0, Cli.Run(["run", "--controller", "gicv3", "--workload", "microbench", "--set", "test=ipi", "--trace", t["b.json"], "--trace-window", "220:240", "--out", t["b"]]).Exit);
        var (exit, err) = Cli.Run("gantt", "--trace", t["a.json"], "--trace", t["b.json"], "--from", "221", "--span", "5", "--out", t["g.png"]);
        Assert.True(exit == 0, err);
        Assert.True(new FileInfo(t["g.png"]).Length > 10_000);

        Assert.Contains("nothing between", Cli.Run("gantt", "--trace", t["a.json"], "--from", "5000", "--out", t["x.png"]).Err);
        Assert.Contains("give a .png", Cli.Run("gantt", "--trace", t["a.json"], "--out", t["x.svg"]).Err);
        Assert.Contains("--span 0", Cli.Run("gantt", "--trace", t["a.json"], "--span", "0", "--out", t["x.png"]).Err);
        t.Write("junk.json", "{\"traceEvents\": [{\"ph\": \"X\"}]}");
        (exit, err) = Cli.Run("gantt", "--trace", t["junk.json"], "--out", t["x.png"]);
        Assert.Equal(2, exit);
        Assert.Contains("not a trace irqbench wrote", err);
        Assert.False(File.Exists(t["x.png"]));
    }
}
