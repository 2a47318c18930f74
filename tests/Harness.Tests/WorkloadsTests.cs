namespace IrqBench.Harness.Tests;

/// <summary><c>irqbench workloads</c>: each workload's parameters with their defaults and allowed ranges, as the
/// workloads declare them.</summary>
[Collection(CliCollection.Name)]
public sealed class WorkloadsTests
{
    [Fact]
    public void Every_parameter_is_listed_with_its_default_and_range()
    {
        var (exit, output, _) = Cli.RunCapturing("workloads");
        Assert.Equal(0, exit);
        foreach (var w in Registry.Workloads)
        {
            Assert.Contains($"{w.Name}: {w.Description}", output);
            foreach (var p in w.Parameters)
                Assert.Matches($@"\n  {System.Text.RegularExpressions.Regex.Escape(p.Name)} +default {System.Text.RegularExpressions.Regex.Escape(p.Default)} +{System.Text.RegularExpressions.Regex.Escape(p.AllowedText)} ", output);
        }
        Assert.Contains("an integer in [1, 1000]", output); // hackbench groups
    }

    [Fact]
    public void An_unknown_workload_exits_2_listing_the_valid_ones()
    {
        var (exit, err) = Cli.Run("workloads", "hackbnch");
        Assert.Equal(2, exit);
        Assert.Contains("unknown workload 'hackbnch' (valid: microbench, hackbench, kbuild, trace)", err);
    }
}
