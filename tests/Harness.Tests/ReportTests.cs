using IrqBench.Harness.Output;

namespace IrqBench.Harness.Tests;

/// <summary>report.md and the plots from runs of several controllers, workloads and vCPU counts (built here, since
/// which designs are registered depends on the build): every plot is drawn, the verdict and its reason are in the
/// report, and every plot the report links exists.</summary>
[Collection(CliCollection.Name)]
public sealed class ReportTests : IDisposable
{
    private readonly TempDir tmp = new();

    public void Dispose() => tmp.Dispose();

    private static RunRow Row(string controller, string workload, int vcpus, ulong seed, double factor) => new()
    {
        Controller = controller, Workload = workload, Profile = "altra-vhe", Vcpus = vcpus, Seed = seed, Params = "",
        SimNs = 1e6 * factor * (1 + seed * 0.001) / vcpus, WorkUnits = 1000, WorkUnit = workload == "kbuild" ? "job" : "message",
        ThroughputPerS = 1000 / (1e-3 * factor * (1 + seed * 0.001) / vcpus),
        ExitsHvc = controller == "rvic" ? 1500 : 100, ExitsSysreg = controller == "gicv3" ? 600 : 0, ExitsWfi = 400,
        ExitsTotal = (controller == "rvic" ? 1500 : 100) + (controller == "gicv3" ? 600 : 0) + 400,
        Kicks = controller == "ideal" ? 0 : 300, Wakeups = 200, LockContended = controller == "gicv3" ? 50 : 0,
        HypCycles = controller == "ideal" ? 0 : controller == "rvic" ? 3_000_000 : 4_000_000,
        IrqLatencyP50Ns = 1000 * factor, IrqLatencyP99Ns = 5000 * factor, IrqLatencyMaxNs = 20000 * factor,
    };

    [Fact]
    public void Report_draws_every_plot_and_states_the_verdict()
    {
        var runs = (from w in new[] { "hackbench", "kbuild" }
                    from v in new[] { 4, 16 }
                    from c in new[] { ("gicv3", 1.25), ("rvic", 1.1), ("ideal", 1.0) }
                    from s in new ulong[] { 1, 2, 3, 4, 5 }
                    select Row(c.Item1, w, v, s, c.Item2)).ToList();
        CsvFiles.WriteRuns(tmp["runs.csv"], runs);
        Assert.Equal(0, Cli.Run("report", "--in", tmp.Path).Exit);

        string report = File.ReadAllText(tmp["report.md"]);
        Assert.Contains("**rvic against gicv3: faster by more than 5 % in 4 of 4 scenarios; time per work unit ratio 0.880.**", report);
        Assert.Contains("| hackbench | 4 | rvic is faster than gicv3 by more than 5 %", report);
        Assert.Contains("−0.6 sysreg exits", report); // the why: gicv3's 600 sysreg exits per 1000 messages
        foreach (var plot in new[] { "overhead", "scaling-hackbench", "exits-kbuild", "sync-hackbench", "latency-kbuild" })
        {
            Assert.True(new FileInfo(Path.Combine(tmp.Path, "plots", plot + ".png")).Length > 10_000, plot);
            Assert.Contains($"(plots/{plot}.png)", report);
        }
        foreach (var link in report.Split('\n').Where(l => l.StartsWith("![", StringComparison.Ordinal)))
            Assert.True(File.Exists(Path.Combine(tmp.Path, link[(link.IndexOf('(') + 1)..link.IndexOf(')')])), link);
    }
}
