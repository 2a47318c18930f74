using System.Globalization;
using System.Text;

namespace IrqBench.Harness.Tests;

/// <summary>Host timings (BenchmarkDotNet measurements) fail the check only when significantly slower than the
/// baseline by more than the threshold; noise and speed-ups pass.</summary>
[Collection(CliCollection.Name)]
public sealed class HostCheckTests()
    : CheckFixture("""{ "default": { "relative": 0.0001, "absolute": 0.002 }, "host": { "threshold_percent": 10, "alpha": 0.01 } }""")
{
    /// <summary>A measurements CSV as BenchmarkDotNet writes it (the columns the check reads, plus warm-up rows it
    /// must skip), with iterations around <paramref name="ns"/>.</summary>
    private string Measurements(string name, double ns)
    {
        var sb = new StringBuilder("Target,Params,Measurement_IterationMode,Measurement_IterationStage,Measurement_Value\n");
        sb.Append(CultureInfo.InvariantCulture, $"EventLoopBenchmarks.EventQueuePostRun,Pending=64,Workload,Warmup,{ns * 5}\n");
        for (int i = 0; i < 12; i++)
            sb.Append(CultureInfo.InvariantCulture, $"EventLoopBenchmarks.EventQueuePostRun,Pending=64,Workload,Result,{ns * (1 + (i % 4) * 0.01)}\n");
        return tmp.Write(name, sb.ToString());
    }

    private int Check(string hostBaseline, string host) =>
        Cli.Run("check", "--baseline", baseline, "--thresholds", thresholds, "--in", QuickCompare.Folder, "--host-baseline", hostBaseline, "--host", host).Exit;

    [Fact]
    public void Equal_timings_pass()
    {
        Assert.Equal(0, Check(Measurements("base.csv", 100), Measurements("now.csv", 100)));
    }

    [Fact]
    public void Thirty_percent_slower_on_every_iteration_fails()
    {
        Assert.Equal(1, Check(Measurements("base.csv", 100), Measurements("now.csv", 130)));
    }

    [Fact]
    public void Faster_passes()
    {
        Assert.Equal(0, Check(Measurements("base.csv", 100), Measurements("now.csv", 70)));
    }

    [Fact]
    public void A_file_that_is_not_a_measurements_csv_exits_2()
    {
        var (exit, err) = Cli.Run("check", "--baseline", baseline, "--thresholds", thresholds, "--in", QuickCompare.Folder,
            "--host-baseline", tmp.Write("junk.csv", "a,b\n1,2\n"), "--host", Measurements("now.csv", 100));
        Assert.Equal(2, exit);
        Assert.Contains("junk.csv: column Target missing", err);
    }
}
