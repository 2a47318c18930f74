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
    [InlineData("--controller", "nosuch", "unknown controller 'nosuch'")]
    [InlineData("--workload", "nosuch", "unknown workload 'nosuch'")]
    [InlineData("--set", "test", "--set test: expected key=value")]
    [InlineData("--set", "nokey=1", "unknown parameter 'nokey'")]
    [InlineData("--vcpus", "3", "runs on exactly 2 vCPUs")]
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

    [Fact]
    public void An_unknown_option_exits_2()
    {
        var (exit, err) = Cli.Run("compare", "--bogus");
        Assert.Equal(2, exit);
        Assert.Contains("--bogus", err);
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
