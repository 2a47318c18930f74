using IrqBench.Harness.Output;

namespace IrqBench.Harness.Tests;

/// <summary>report.md and the plots from runs of several designs, workloads, organisations and vCPU counts (built
/// here, so the expected numbers are known): the cost comes first, the verdicts follow with their intervals, every
/// plot the report links exists, and a plot that would be degenerate is not drawn and the report says why.</summary>
[Collection(CliCollection.Name)]
public sealed class ReportTests : IDisposable
{
    private readonly TempDir tmp = new();

    public void Dispose() => tmp.Dispose();

    /// <summary>gicv3 1.25×, rvic 1.1×, ideal 1× a base time that differs by seed (by up to ±20 %), so that every
    /// per-seed ratio is exact: rvic / gicv3 = 0.88 on every seed.</summary>
    private static RunRow Row(string controller, string workload, string profile, int vcpus, ulong seed, double factor)
    {
        double simNs = 1e6 * factor * (0.8 + 0.4 * (seed - 1) / 5.0) / vcpus;
        long all = (long)(simNs * 3 * vcpus); // cycles at 3 GHz over all vCPUs
        long hyp = controller == "ideal" ? 0 : controller == "rvic" ? all / 50 : all / 20;
        return new()
        {
            Controller = controller, Workload = workload, Profile = profile, ProfileSha256 = profile == "pkvm" ? new string('b', 64) : new string('a', 64),
            ProfileFile = $"profiles/{profile}.json", Organisation = profile == "pkvm" ? "pkvm" : "vhe", FrequencyHz = 3_000_000_000,
            Vcpus = vcpus, Seed = seed, Params = "", SimNs = simNs, WorkUnits = 1000, WorkUnit = workload == "kbuild" ? "job" : "message",
            ThroughputPerS = 1000 / (simNs / 1e9),
            ExitsHvc = controller == "rvic" ? 1500 : 100, ExitsSysreg = controller == "gicv3" ? 600 : 0, ExitsWfi = 400,
            ExitsTotal = (controller == "rvic" ? 1500 : 100) + (controller == "gicv3" ? 600 : 0) + 400,
            Kicks = controller == "ideal" ? 0 : 300, Wakeups = 200, HypCycles = hyp, IdleCycles = all / 10, GuestCycles = all - hyp - all / 10,
            IrqLatencyP50Ns = 1000 * factor, IrqLatencyP99Ns = 5000 * factor, IrqLatencyMaxNs = 20000 * factor,
        };
    }

    private string WriteRuns()
    {
        var runs = (from p in new[] { "altra-vhe", "pkvm" }
                    from w in new[] { "hackbench", "kbuild" }
                    from v in new[] { 4, 16 }
                    from c in new[] { ("gicv3", 1.25), ("rvic", 1.1), ("ideal", 1.0) }
                    from s in new ulong[] { 1, 2, 3, 4, 5, 6 }
                    select Row(c.Item1, w, p, v, s, c.Item2)).ToList();
        CsvFiles.WriteRuns(tmp["runs.csv"], runs);
        Assert.Equal(0, Cli.Run("report", "--in", tmp.Path).Exit);
        return File.ReadAllText(tmp["report.md"]);
    }

    [Fact]
    public void The_report_opens_with_the_cost_per_organisation_then_the_verdicts()
    {
        string report = WriteRuns();
        int glance = report.IndexOf("**At a glance**", StringComparison.Ordinal), cost = report.IndexOf("## What it costs", StringComparison.Ordinal),
            verdicts = report.IndexOf("## Verdicts against gicv3", StringComparison.Ordinal);
        Assert.True(glance > 0 && cost > glance && verdicts > cost, "the answer at a glance, then the cost, then the verdicts");
        // At 16 vCPUs rvic's hypervisor time is 1/50 of 16 × (1.1 ms × the seeds' mean factor 1.0 / 16) per 1000 units: 22 ns.
        Assert.Contains("| altra-vhe | rvic | 22 (2 %) | 22 (2 %) | 4 faster; ratio 0.880 |", report);
        Assert.True(report.IndexOf("### altra-vhe", StringComparison.Ordinal) is var a && a > cost && report.IndexOf("### pkvm", StringComparison.Ordinal) > a);
        // rvic: 1.1 × 1e6 × 0.8 / 4 ns per 1000 messages on seed 1; its hypervisor share is 1/50 of all vCPU time.
        Assert.Contains("| hackbench (message) | 4 | rvic |", report);
        Assert.Contains("| 2 % |", report);
        Assert.Contains("**rvic against gicv3 on altra-vhe: faster by more than 5 % in 4 of 4 scenarios; time per work unit ratio 0.880.**", report);
        Assert.Contains("| 0.880 [0.880, 0.880] | ±0 % |", report);
    }

    [Fact]
    public void Every_linked_plot_exists_and_the_plots_not_drawn_are_named_with_the_reason()
    {
        string report = WriteRuns();
        foreach (var plot in new[] { "forest-altra-vhe", "forest-pkvm", "throughput-vs-ideal-hackbench", "exits-kbuild-on-pkvm" })
        {
            Assert.True(new FileInfo(Path.Combine(tmp.Path, "plots", plot + ".png")).Length > 10_000, plot);
            Assert.Contains($"(plots/{plot}.png)", report);
        }
        foreach (var link in report.Split('\n').Where(l => l.StartsWith("![", StringComparison.Ordinal)))
            Assert.True(File.Exists(Path.Combine(tmp.Path, link[(link.IndexOf('(') + 1)..link.IndexOf(')')])), link);
        // These runs have no latency.csv: the distributions are not drawn, and the report says so.
        Assert.Contains("latency distribution: no interrupt latency recorded", report);
        Assert.Empty(Directory.GetFiles(Path.Combine(tmp.Path, "plots"), "latency-*"));
    }

    [Fact]
    public void A_single_vcpu_count_draws_no_scaling_plot_and_says_why()
    {
        CsvFiles.WriteRuns(tmp["runs.csv"], from c in new[] { ("gicv3", 1.25), ("ideal", 1.0) } from s in new ulong[] { 1, 2, 3, 4, 5, 6 }
                                           select Row(c.Item1, "hackbench", "altra-vhe", 4, s, c.Item2));
        Assert.Equal(0, Cli.Run("report", "--in", tmp.Path).Exit);
        Assert.Contains("hackbench, throughput relative to ideal against vCPUs: one vCPU count only (4)", File.ReadAllText(tmp["report.md"]));
        Assert.False(File.Exists(Path.Combine(tmp.Path, "plots", "throughput-vs-ideal-hackbench.png")));
    }

    [Fact]
    public void Report_compares_with_another_baseline_when_asked()
    {
        WriteRuns();
        Assert.Equal(0, Cli.Run("report", "--in", tmp.Path, "--baseline", "ideal", "--threshold", "20").Exit);
        string report = File.ReadAllText(tmp["report.md"]);
        Assert.Contains("## Verdicts against ideal", report);
        // gicv3 is 1.25 × ideal on every seed: slower than ideal by more than 20 %; rvic at 1.1 × is within ±20 %.
        Assert.Contains("**gicv3 against ideal on pkvm: slower by more than 20 % in 4 of 4 scenarios; time per work unit ratio 1.250.**", report);
        Assert.Contains("**rvic against ideal on pkvm: equivalent within ±20 % in 4 of 4 scenarios; time per work unit ratio 1.100.**", report);
        Assert.Contains("--baseline ideal --threshold 20", report);
    }

    [Fact]
    public void The_report_shows_where_each_interrupts_latency_goes_per_design_from_latency_stages_csv()
    {
        string md = File.ReadAllText(Path.Combine(QuickCompare.Folder, "report.md"));
        Assert.Contains("## Where each interrupt's latency goes", md);
        Assert.Contains("| kind | design | interrupts | send ns | kick ns | exit ns | inject ns | pending ns | ack ns | total ns |", md);
        Assert.True(File.Exists(Path.Combine(QuickCompare.Folder, "plots", "latency-stages-hackbench-on-pkvm.png")));
        var stages = Output.CsvFiles.ReadLatencyStages(Path.Combine(QuickCompare.Folder, "latency_stages.csv"));
        var runs = Output.CsvFiles.ReadRuns(Path.Combine(QuickCompare.Folder, "runs.csv"));
        Assert.All(stages, s => Assert.Contains(runs, r => r.RunId == s.Run));
        Assert.Contains("## Trust", md);
    }
}
