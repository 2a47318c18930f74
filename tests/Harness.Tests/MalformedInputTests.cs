namespace IrqBench.Harness.Tests;

/// <summary>A malformed sweep spec, baseline or thresholds file: exit 2, a message naming the file, the field and the
/// problem, and nothing already written damaged.</summary>
[Collection(CliCollection.Name)]
public sealed class MalformedInputTests : IDisposable
{
    private readonly TempDir tmp = new();

    public void Dispose() => tmp.Dispose();

    [Theory]
    [InlineData("""{ "controllers": ["ideal"], "workloads": ["microbench"] }""", "seeds: missing")]
    [InlineData("""{ "controllers": ["nosuch"], "workloads": ["microbench"], "seeds": [1] }""", "controllers[0]: unknown controller 'nosuch' (valid: gicv3, gicv4.1, rvic, ideal, ")]
    [InlineData("""{ "controllers": ["ideal"], "workloads": ["microbench"], "seeds": [1], "colour": 1 }""", "colour: unknown key")]
    [InlineData("""{ "controllers": ["ideal"], "workloads": [{ "name": "microbench", "params": [{ "nokey": 1 }] }], "seeds": [1] }""", "workloads[0].params[0].nokey: unknown parameter 'nokey'")]
    [InlineData("""{ "controllers": ["ideal"], "workloads": ["microbench"], "seeds": [1], "vcpus": [0] }""", "vcpus[0]: 0 is out of range [1, 512]")]
    [InlineData("""{ "controllers": ["ideal"], "workloads": [{ "name": "microbench", "vcpus": [4] }], "seeds": [1] }""", "workloads[0].vcpus: workload microbench runs on exactly 2 vCPUs")]
    [InlineData("""{ "controllers": ["ideal"], "workloads": ["microbench"], "seeds": ["one"] }""", "seeds[0]: expected an integer, found the string \"one\"")]
    [InlineData("""{ "controllers": ["ideal"], "workloads": ["microbench"], "profiles": ["nosuch"], "seeds": [1] }""", "profiles[0]: unknown profile 'nosuch'")]
    [InlineData("""{ "controllers": [], "workloads": ["microbench"], "seeds": [1] }""", "controllers: empty array")]
    [InlineData("""{ "controllers": ["ideal"], """, "not valid JSON")]
    public void A_malformed_spec_names_file_field_and_problem(string json, string expected)
    {
        string spec = tmp.Write("spec.json", json);
        tmp.Write("out/runs.csv", "earlier\n");
        var (exit, err) = Cli.Run("sweep", "--spec", spec, "--out", tmp["out"]);
        Assert.Equal(2, exit);
        Assert.Contains("spec.json: ", err);
        Assert.Contains(expected, err);
        Assert.Equal("earlier\n", File.ReadAllText(tmp["out/runs.csv"]));
        Assert.Single(Directory.GetFileSystemEntries(tmp["out"]));
    }

    [Theory]
    [InlineData("""{ "metrics": {} }""", "default: missing")]
    [InlineData("""{ "default": { "relative": -0.1 } }""", "default.relative: -0.1 is negative")]
    [InlineData("""{ "default": { "relative": 0.1, "absolute": "x" } }""", "default.absolute: expected a number")]
    [InlineData("""{ "default": { "relative": 0.1 }, "metrics": { "speed": { "relative": 1 } } }""", "metrics.speed: unknown metric 'speed'")]
    [InlineData("""{ "default": { "relative": 0.1, "tolerance": 1 } }""", "default.tolerance: unknown key")]
    [InlineData("""[1, 2]""", "expected an object")]
    [InlineData("""{ "default": { "relative": 0.1 }, "host": { "alpha": 2 } }""", "host.alpha: expected a number in (0, 0.5], found 2")]
    public void Malformed_thresholds_name_file_field_and_problem(string json, string expected)
    {
        string t = tmp.Write("thresholds.json", json);
        string b = tmp.Write("baseline.csv", "controller,workload,profile,vcpus,params,metric,unit,n,median,ci95_lower,ci95_upper,ratio_vs_gicv3,ratio_vs_ideal\n");
        var (exit, err) = Cli.Run("check", "--baseline", b, "--thresholds", t, "--in", tmp.Path);
        Assert.Equal(2, exit);
        Assert.Contains("thresholds.json: ", err);
        Assert.Contains(expected, err);
    }

    [Theory]
    [InlineData("controller,workload\nideal,microbench\n", "baseline.csv: not a valid SummaryRow CSV")]
    [InlineData("controller,workload,profile,vcpus,params,metric,unit,n,median,ci95_lower,ci95_upper,ratio_vs_gicv3,ratio_vs_ideal\nideal,microbench,altra-vhe,two,test=hvc,avg_ns,ns,1,306,306,306,,1\n", "baseline.csv: not a valid SummaryRow CSV")]
    [InlineData("controller,workload,profile,vcpus,params,metric,unit,n,median,ci95_lower,ci95_upper,ratio_vs_gicv3,ratio_vs_ideal\n", "baseline.csv: no rows")]
    [InlineData("controller,workload,profile,vcpus,params,metric,unit,n,median,ci95_lower,ci95_upper,ratio_vs_gicv3,ratio_vs_ideal\nideal,microbench,altra-vhe,2,test=hvc,avg_ns,ns,1,306,306,306,,1\nideal,microbench,altra-vhe,2,test=hvc,avg_ns,ns,1,306,306,306,,1\n", "row 3: ideal/microbench/altra-vhe/v2/test=hvc/avg_ns appears twice")]
    public void A_malformed_baseline_names_file_and_problem(string csv, string expected)
    {
        string t = tmp.Write("thresholds.json", """{ "default": { "relative": 0 } }""");
        string b = tmp.Write("baseline.csv", csv);
        var (exit, err) = Cli.Run("check", "--baseline", b, "--thresholds", t, "--in", QuickCompare.Folder);
        Assert.Equal(2, exit);
        Assert.Contains(expected, err);
        Assert.Equal(csv, File.ReadAllText(b));
    }
}
