using System.Diagnostics;
using IrqBench.Harness.Sweep;

namespace IrqBench.Harness.Tests;

/// <summary>Sweeps: shards partition the grid so that merged shards equal the unsharded sweep byte for byte; an
/// interrupted sweep resumes without redoing finished runs and ends with the same bytes.</summary>
[Collection(CliCollection.Name)]
public sealed class SweepTests : IDisposable
{
    private readonly TempDir tmp = new();

    public void Dispose() => tmp.Dispose();

    private const string Spec = """
        { "controllers": ["ideal"],
          "workloads": [{ "name": "microbench", "params": [{ "test": "hvc" }, { "test": "mmio_read_user" }] }],
          "seeds": { "first": 1, "count": 4 } }
        """;

    private static readonly string[] Outputs = ["runs.csv", "counters.csv", "exits.csv", "latency.csv", "summary.csv"];

    private void AssertSameOutputs(string a, string b)
    {
        foreach (var f in Outputs) Assert.Equal(File.ReadAllBytes(Path.Combine(a, f)), File.ReadAllBytes(Path.Combine(b, f)));
    }

    [Fact]
    public void Three_shards_merged_equal_the_unsharded_sweep_byte_for_byte()
    {
        string spec = tmp.Write("spec.json", Spec);
        Assert.Equal(0, Cli.Run("sweep", "--spec", spec, "--out", tmp["all"]).Exit);
        for (int k = 0; k < 3; k++) Assert.Equal(0, Cli.Run("sweep", "--spec", spec, "--shard", $"{k}/3", "--out", tmp[$"s{k}"]).Exit);
        // Each shard holds only its own runs: index mod 3.
        Assert.Equal(3, Directory.GetFiles(Path.Combine(tmp["s0"], "parts"), "*.runs.csv").Length);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(tmp["s1"], "parts"), "*.runs.csv").Length);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(tmp["s2"], "parts"), "*.runs.csv").Length);
        Assert.Equal(0, Cli.Run("merge", tmp["s2"], tmp["s0"], tmp["s1"], "--out", tmp["merged"]).Exit);
        AssertSameOutputs(tmp["all"], tmp["merged"]);
        Assert.Equal(9, File.ReadAllLines(Path.Combine(tmp["merged"], "runs.csv")).Length);
    }

    [Fact]
    public void Two_jobs_give_the_bytes_one_job_gives()
    {
        string spec = tmp.Write("spec.json", Spec);
        Assert.Equal(0, Cli.Run("sweep", "--spec", spec, "-j", "1", "--out", tmp["j1"]).Exit);
        Assert.Equal(0, Cli.Run("sweep", "--spec", spec, "-j", "2", "--out", tmp["j2"]).Exit);
        AssertSameOutputs(tmp["j1"], tmp["j2"]);
        Assert.Equal(9, File.ReadAllLines(Path.Combine(tmp["j2"], "runs.csv")).Length);
    }

    [Fact]
    public void Merge_refuses_incomplete_or_foreign_shards_and_writes_nothing()
    {
        string spec = tmp.Write("spec.json", Spec);
        Cli.Run("sweep", "--spec", spec, "--shard", "0/2", "--out", tmp["s0"]);
        var (exit, err) = Cli.Run("merge", tmp["s0"], "--out", tmp["merged"]);
        Assert.Equal(2, exit);
        Assert.Contains("4 of 8 runs are in none of the folders", err);
        Assert.False(Directory.Exists(tmp["merged"]));

        string other = tmp.Write("other.json", Spec.Replace("\"count\": 4", "\"count\": 2"));
        Cli.Run("sweep", "--spec", other, "--shard", "1/2", "--out", tmp["o1"]);
        (exit, err) = Cli.Run("merge", tmp["s0"], tmp["o1"], "--out", tmp["merged"]);
        Assert.Equal(2, exit);
        Assert.Contains("not shards of one sweep", err);
    }

    [Fact]
    public void An_interrupted_sweep_resumes_without_redoing_runs_and_ends_identical()
    {
        string specFile = tmp.Write("spec.json", Spec);
        Cli.Run("sweep", "--spec", specFile, "--out", tmp["all"]);
        var spec = SweepSpec.Load(specFile);

        var first = SweepRunner.Run(spec, Shard.All, tmp["resumed"], maxNewRuns: 3, TextWriter.Null);
        Assert.Equal((3, 0, 5), (first.Ran, first.Skipped, first.Missing));
        var stamps = Directory.GetFiles(Path.Combine(tmp["resumed"], "parts")).ToDictionary(f => f, File.GetLastWriteTimeUtc);

        var second = SweepRunner.Run(spec, Shard.All, tmp["resumed"], maxNewRuns: null, TextWriter.Null);
        Assert.Equal((5, 3, 0), (second.Ran, second.Skipped, second.Missing));
        foreach (var (f, t) in stamps) Assert.Equal(t, File.GetLastWriteTimeUtc(f)); // finished runs were not redone
        AssertSameOutputs(tmp["all"], tmp["resumed"]);
    }

    [Fact]
    public void A_sweep_killed_midway_and_restarted_completes_with_the_same_result()
    {
        // A longer grid so the process is still running when it is killed.
        string specFile = tmp.Write("spec.json", Spec.Replace("\"count\": 4", "\"count\": 60"));
        string dll = Path.Combine(AppContext.BaseDirectory, "irqbench.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { dll, "sweep", "--spec", specFile, "--out", tmp["killed"] }) psi.ArgumentList.Add(a);
        using (var p = Process.Start(psi)!)
        {
            p.OutputDataReceived += (_, _) => { };
            p.BeginOutputReadLine();
            var parts = Path.Combine(tmp["killed"], "parts");
            var clock = Stopwatch.StartNew();
            while ((!Directory.Exists(parts) || Directory.GetFiles(parts, "*.runs.csv").Length < 3) && clock.Elapsed < TimeSpan.FromSeconds(30) && !p.HasExited)
                Thread.Sleep(20);
            Assert.False(p.HasExited, "the sweep finished before it could be killed");
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }
        int doneBefore = Directory.GetFiles(Path.Combine(tmp["killed"], "parts"), "*.runs.csv").Length;
        Assert.InRange(doneBefore, 3, 119);

        var spec = SweepSpec.Load(specFile);
        var resumed = SweepRunner.Run(spec, Shard.All, tmp["killed"], null, TextWriter.Null);
        Assert.Equal(doneBefore, resumed.Skipped);
        Assert.Equal(0, resumed.Missing);
        SweepRunner.Run(spec, Shard.All, tmp["clean"], null, TextWriter.Null);
        AssertSameOutputs(tmp["clean"], tmp["killed"]);
    }

    [Fact]
    public void A_folder_of_another_grid_is_refused_untouched()
    {
        string spec = tmp.Write("spec.json", Spec);
        Cli.Run("sweep", "--spec", spec, "--out", tmp["out"]);
        string runs = File.ReadAllText(Path.Combine(tmp["out"], "runs.csv"));
        string other = tmp.Write("other.json", Spec.Replace("\"count\": 4", "\"count\": 2"));
        var (exit, err) = Cli.Run("sweep", "--spec", other, "--out", tmp["out"]);
        Assert.Equal(2, exit);
        Assert.Contains("grid.txt", err);
        Assert.Equal(runs, File.ReadAllText(Path.Combine(tmp["out"], "runs.csv")));
    }

    [Theory]
    [InlineData("--shard", "3/3")]
    [InlineData("--shard", "a/b")]
    [InlineData("--max-runs", "-1")]
    public void Bad_sweep_options_exit_2(string option, string value)
    {
        string spec = tmp.Write("spec.json", Spec);
        var (exit, err) = Cli.Run("sweep", "--spec", spec, "--out", tmp["out"], option, value);
        Assert.Equal(2, exit);
        Assert.Contains(option, err);
        Assert.False(Directory.Exists(tmp["out"]));
    }
}
