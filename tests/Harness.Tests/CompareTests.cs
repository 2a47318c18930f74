using System.Text.Json;

namespace IrqBench.Harness.Tests;

/// <summary><c>irqbench compare</c> and <c>report</c>: the same selection gives the same bytes whatever the job count,
/// --list runs nothing, and report regenerates the derived files exactly from the primary ones.</summary>
[Collection(CliCollection.Name)]
public sealed class CompareTests : IDisposable
{
    private readonly TempDir tmp = new();

    public void Dispose() => tmp.Dispose();

    /// <summary>One small workload, two designs, two seeds, one organisation: seconds.</summary>
    private static readonly string[] Tiny =
        ["compare", "--quick", "--profile", "altra-vhe", "--workload", "hackbench", "--controller", "gicv3", "rvic", "--vcpus", "4", "--seeds", "2"];

    [Fact]
    public void One_job_and_two_jobs_write_byte_identical_results()
    {
        Assert.Equal(0, Cli.Run([.. Tiny, "-j", "1", "--out", tmp["j1"]]).Exit);
        Assert.Equal(0, Cli.Run([.. Tiny, "-j", "2", "--out", tmp["j2"]]).Exit);
        foreach (var f in new[] { "runs.csv", "counters.csv", "exits.csv", "latency.csv", "summary.csv", "summary.json", "report.md" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(tmp["j1"], f)), File.ReadAllBytes(Path.Combine(tmp["j2"], f)));
        Assert.Equal(5, File.ReadAllLines(Path.Combine(tmp["j1"], "runs.csv")).Length); // header + 2 designs × 2 seeds
    }

    [Fact]
    public void An_edited_copy_of_a_profile_that_kept_its_name_is_told_apart_from_the_reference()
    {
        var profile = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(ProfileStore.Directory, "altra-vhe.json")))!;
        profile["primitives"]!["machine"]!["kick_ipi"]!["cycles"] = 900;
        string copy = tmp.Write("edited/altra-vhe.json", profile.ToJsonString());
        string[] args = ["compare", "--quick", "--profile", "altra-vhe", copy, "--workload", "kbuild", "--controller", "gicv3", "--vcpus", "4", "--seeds", "1", "--out", tmp["out"]];
        Assert.Equal(0, Cli.Run(args).Exit);
        var runs = Output.CsvFiles.ReadRuns(Path.Combine(tmp["out"], "runs.csv"));
        Assert.Equal(["altra-vhe", "altra-vhe"], runs.Select(r => r.Profile));
        Assert.Equal(["profiles/altra-vhe.json", copy], runs.Select(r => r.ProfileFile));
        Assert.Equal(2, runs.Select(r => r.ProfileSha256).Distinct().Count());
        var summary = Output.CsvFiles.ReadSummary(Path.Combine(tmp["out"], "summary.csv")).Where(r => r.Metric == "ns_per_unit").ToList();
        Assert.Equal(runs.Select(r => r.ProfileSha256).Order(), summary.Select(r => r.ProfileSha256).Order());
        string report = File.ReadAllText(Path.Combine(tmp["out"], "report.md"));
        foreach (var r in runs) Assert.Contains($"### altra-vhe@{r.ProfileSha256[..8]}", report);
    }

    [Fact]
    public void List_prints_the_plan_and_runs_nothing()
    {
        var (exit, output, _) = Cli.RunCapturing([.. Tiny, "--list", "--out", tmp["listed"]]);
        Assert.Equal(0, exit);
        Assert.Contains("altra-vhe      hackbench    4 vCPUs   gicv3, rvic × seeds 1-2 = 4 runs", output);
        Assert.Contains("4 runs and 0 micro-benchmarks would run; nothing was run (--list)", output);
        Assert.False(Directory.Exists(tmp["listed"]));
    }

    [Fact]
    public void The_default_suite_covers_every_organisation_with_the_default_seeds_on_the_same_seeds_for_every_design()
    {
        var (exit, output, _) = Cli.RunCapturing("compare", "--list");
        Assert.Equal(0, exit);
        foreach (var p in new[] { "altra-vhe", "seattle-nvhe", "pkvm" })
            Assert.Contains($"  {p,-14} hackbench    64 vCPUs  gicv3, gicv4.1, rvic, ideal × seeds 1-{Suite.SuiteDefinition.DefaultSeeds}", output);
    }

    [Fact]
    public void The_baseline_always_runs_and_is_what_ratios_are_against()
    {
        var (exit, output, _) = Cli.RunCapturing("compare", "--quick", "--controller", "rvic", "--baseline", "ideal", "--list");
        Assert.Equal(0, exit);
        Assert.Contains("rvic, ideal ×", output);
        Assert.Contains("baseline ideal", output);
    }

    [Fact]
    public void Report_regenerates_summary_report_and_latency_plots_from_the_csvs()
    {
        QuickCompare.CopyTo(tmp["a"]);
        string summary = File.ReadAllText(Path.Combine(tmp["a"], "summary.csv"));
        string json = File.ReadAllText(Path.Combine(tmp["a"], "summary.json"));
        string report = File.ReadAllText(Path.Combine(tmp["a"], "report.md"));
        File.Delete(Path.Combine(tmp["a"], "summary.csv"));
        File.Delete(Path.Combine(tmp["a"], "summary.json"));
        File.Delete(Path.Combine(tmp["a"], "report.md"));
        Directory.Delete(Path.Combine(tmp["a"], "plots"), recursive: true);
        Assert.Equal(0, Cli.Run("report", "--in", tmp["a"]).Exit);
        Assert.Equal(summary, File.ReadAllText(Path.Combine(tmp["a"], "summary.csv")));
        Assert.Equal(json, File.ReadAllText(Path.Combine(tmp["a"], "summary.json")));
        Assert.Equal(report, File.ReadAllText(Path.Combine(tmp["a"], "report.md")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(tmp["a"], "plots"), "latency-*.png"));
    }

    [Fact]
    public void Report_on_a_folder_without_results_exits_2()
    {
        var (exit, err) = Cli.Run("report", "--in", tmp.Path);
        Assert.Equal(2, exit);
        Assert.Contains("neither runs.csv nor microbench.csv", err);
    }

    [Fact]
    public void The_hypervisor_guest_and_idle_parts_of_a_difference_add_up_to_the_vcpu_time_difference()
    {
        // guest + hyp + idle is the simulated time on every vCPU, so per unit the parts of a difference must add up
        // to vCPUs × the difference in time per unit (up to the 3-decimal rounding of summary.json).
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(QuickCompare.Folder, "summary.json")));
        int checkedRows = 0;
        foreach (var c in doc.RootElement.GetProperty("costs").EnumerateArray())
        {
            if (c.GetProperty("vs_baseline").ValueKind == JsonValueKind.Null) continue;
            var d = c.GetProperty("vs_baseline");
            int vcpus = c.GetProperty("scenario").GetProperty("vcpus").GetInt32();
            double parts = d.GetProperty("hyp_vcpu_ns").GetDouble() + d.GetProperty("guest_vcpu_ns").GetDouble() + d.GetProperty("idle_vcpu_ns").GetDouble();
            double whole = vcpus * d.GetProperty("ns_per_unit").GetDouble();
            Assert.True(Math.Abs(parts - whole) <= 0.0005 * (3 + vcpus) + 1e-9 * Math.Abs(whole), $"{c}: {parts} vs {whole}");
            checkedRows++;
        }
        Assert.True(checkedRows > 0);
    }

    [Fact]
    public void Exit_reasons_account_for_the_hypervisor_time_and_latency_maxima_match_the_runs()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(QuickCompare.Folder, "summary.json")));
        foreach (var g in doc.RootElement.GetProperty("exits").EnumerateArray().GroupBy(e => e.GetProperty("scenario").ToString() + e.GetProperty("design")))
            Assert.Equal(100, g.Sum(e => e.GetProperty("hyp_percent").GetDouble()), 3);
        // latency.csv's maximum over kinds is runs.csv's irq_latency_max_ns of the same run.
        var runs = Output.CsvFiles.ReadRuns(Path.Combine(QuickCompare.Folder, "runs.csv")).ToDictionary(r => r.RunId);
        foreach (var g in Output.CsvFiles.ReadLatency(Path.Combine(QuickCompare.Folder, "latency.csv")).GroupBy(l => l.Run))
        {
            Assert.Equal(runs[g.Key].IrqLatencyMaxNs, g.Where(l => l.Quantile == 1).Max(l => l.Ns));
            foreach (var kind in g.GroupBy(l => l.Kind))
                Assert.Equal(kind.OrderBy(l => l.Quantile).Select(l => l.Ns), kind.Select(l => l.Ns).Order()); // quantiles never decrease
        }
    }
}
