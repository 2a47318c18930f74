using System.Text.Json.Nodes;

namespace IrqBench.Harness.Tests;

/// <summary>DESIGN §8: bad input is exit code 2 with a message that names what was wrong, and it never leaves a partial
/// CSV behind or damages results already written.</summary>
[Collection(CliCollection.Name)]
public sealed class CliErrorTests : IDisposable
{
    private readonly TempDir tmp = new();
    private const string Previous = "controller,workload\nprevious,results\n";

    public void Dispose() => tmp.Dispose();

    private string OutWithPreviousRuns()
    {
        tmp.Write("out/runs.csv", Previous);
        return tmp["out"];
    }

    private void AssertUntouched(string outDir)
    {
        Assert.Equal(Previous, File.ReadAllText(Path.Combine(outDir, "runs.csv")));
        Assert.False(File.Exists(Path.Combine(outDir, "counters.csv")));
        Assert.Empty(Directory.GetFiles(outDir, "*.tmp", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("--controller", "nosuch", "unknown controller 'nosuch' (valid: gicv3, gicv4.1, rvic, ideal, ")]
    [InlineData("--workload", "nosuch", "unknown workload 'nosuch' (valid: microbench, hackbench, kbuild, trace)")]
    [InlineData("--profile", "nosuch", "unknown profile 'nosuch' (valid: altra-vhe, pkvm, seattle-nvhe)")]
    [InlineData("--set", "test", "--set test: expected key=value")]
    [InlineData("--set", "nokey=1", "unknown parameter 'nokey'")]
    [InlineData("--vcpus", "3", "runs on exactly 2 vCPUs")]
    [InlineData("--vcpus", "x", "--vcpus x: not an integer")]
    [InlineData("--seed", "-1", "--seed -1: not an unsigned 64-bit integer")]
    public void Bad_run_arguments_exit_2_naming_the_problem_and_write_nothing(string option, string value, string expected)
    {
        string outDir = OutWithPreviousRuns();
        var args = new List<string> { "run", "--controller", "ideal", "--workload", "microbench", "--out", outDir };
        int at = args.IndexOf(option);
        if (at >= 0) args[at + 1] = value;
        else args.AddRange([option, value]);
        var (exit, err) = Cli.Run(args.ToArray());
        Assert.Equal(2, exit);
        Assert.Contains(expected, err);
        AssertUntouched(outDir);
    }

    [Theory]
    [InlineData("--controller", "gicv5", "--controller gicv5: unknown controller 'gicv5' (valid: gicv3, gicv4.1, rvic, ideal, ")]
    [InlineData("--workload", "hackbnch", "--workload hackbnch: unknown workload 'hackbnch' (valid: microbench, hackbench, kbuild, trace)")]
    [InlineData("--profile", "altra", "--profile altra: unknown profile 'altra' (valid: altra-vhe, pkvm, seattle-nvhe)")]
    [InlineData("--baseline", "gic", "--baseline gic: unknown controller 'gic'")]
    [InlineData("-j", "0", "-j 0: at least 1")]
    public void Unknown_names_given_to_compare_exit_2_naming_the_value_and_the_valid_ones(string option, string value, string expected)
    {
        var (exit, err) = Cli.Run("compare", "--list", option, value);
        Assert.Equal(2, exit);
        Assert.Contains(expected, err);
    }

    [Fact]
    public void A_usage_error_prints_that_verbs_own_help_and_exits_2()
    {
        var (exit, err) = Cli.Run("compare", "--bogus");
        Assert.Equal(2, exit);
        Assert.Contains("--bogus", err);
        Assert.Contains("Usage:", err);
        Assert.Contains(" compare [options]", err); // the root is named after the host process, irqbench or the test host
        Assert.Contains("--vcpus <N>", err); // placeholders are named
        Assert.DoesNotContain("irqbench sweep", err);
    }

    [Fact]
    public void A_mistyped_verb_gets_a_suggestion()
    {
        var (exit, err) = Cli.Run("comapre");
        Assert.Equal(2, exit);
        Assert.Contains("Did you mean", err);
        Assert.Contains("compare", err);
    }

    [Fact]
    public void The_root_help_says_no_arguments_means_compare_and_lists_the_exit_codes()
    {
        var (exit, output, _) = Cli.RunCapturing("--help");
        Assert.Equal(0, exit);
        Assert.Contains("With no arguments, irqbench runs 'compare'", output);
        Assert.Contains("Exit codes: 0 done, 1 a check found a regression, 2 bad input", output);
    }

    [Fact]
    public void Run_does_not_write_into_a_comparisons_folder_unless_forced()
    {
        string dir = tmp["compared"];
        tmp.Write("compared/summary.csv", "earlier\n");
        tmp.Write("compared/runs.csv", Previous);
        var (exit, err) = Cli.Run("run", "--controller", "ideal", "--workload", "microbench", "--out", dir);
        Assert.Equal(2, exit);
        Assert.Contains("holds a comparison's results", err);
        Assert.Equal(Previous, File.ReadAllText(Path.Combine(dir, "runs.csv")));
        Assert.Equal(0, Cli.Run("run", "--controller", "ideal", "--workload", "microbench", "--out", dir, "--force").Exit);
        Assert.NotEqual(Previous, File.ReadAllText(Path.Combine(dir, "runs.csv")));
    }

    [Fact]
    public void Counts_are_printed_with_the_right_plural()
    {
        var (_, output, _) = Cli.RunCapturing("run", "--controller", "ideal", "--workload", "microbench", "--set", "test=hvc", "--out", tmp["one"]);
        Assert.Contains("on altra-vhe, 2 vCPUs, seed 1: 65536 ops in", output);
        var (_, list, _) = Cli.RunCapturing("compare", "--quick", "--profile", "pkvm", "--workload", "kbuild", "--controller", "gicv3", "--vcpus", "4", "--seeds", "1", "--list");
        Assert.Contains("gicv3 × seed 1 = 1 run", list);
        Assert.Contains("1 run and 0 micro-benchmarks would run", list);
    }

    [Theory]
    [InlineData("missing primitive")]
    [InlineData("negative cost")]
    [InlineData("unknown key")]
    [InlineData("bad json")]
    public void A_bad_profile_exits_2_naming_file_key_and_reason(string defect)
    {
        var profile = JsonNode.Parse(File.ReadAllText(Path.Combine(ProfileStore.Directory, "altra-vhe.json")))!;
        var machine = profile["primitives"]!["machine"]!.AsObject();
        string text;
        string[] expected;
        switch (defect)
        {
            case "missing primitive":
                machine.Remove("kick_ipi");
                text = profile.ToJsonString();
                expected = ["kick_ipi"];
                break;
            case "negative cost":
                machine["kick_ipi"]!["cycles"] = -5;
                text = profile.ToJsonString();
                expected = ["kick_ipi", "-5"];
                break;
            case "unknown key":
                machine["no_such_primitive"] = JsonNode.Parse("""{ "cycles": 1, "source": "assumption" }""");
                text = profile.ToJsonString();
                expected = ["no_such_primitive"];
                break;
            default:
                text = "{ \"name\": ";
                expected = [];
                break;
        }
        string file = tmp.Write("bad-profile.json", text);
        string outDir = OutWithPreviousRuns();
        var (exit, err) = Cli.Run("run", "--controller", "ideal", "--workload", "microbench", "--profile", file, "--out", outDir);
        Assert.Equal(2, exit);
        Assert.Contains("bad-profile.json", err);
        foreach (var e in expected) Assert.Contains(e, err);
        AssertUntouched(outDir);
    }
}
