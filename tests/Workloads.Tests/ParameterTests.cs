using IrqBench.Workloads.Hackbench;
using IrqBench.Workloads.Kbuild;
using IrqBench.Workloads.Parameters;
using IrqBench.Workloads.Trace;

namespace IrqBench.Workloads.Tests;

public class ParameterTests
{
    public static TheoryData<string, string, string, string> Bad => new()
    {
        { "hackbench", "groups", "0", "[1, 1000]" },
        { "hackbench", "transport", "tcp", "one of socket, pipe" },
        { "hackbench", "loops", "many", "an integer" },
        { "kbuild", "read_miss", "1.5", "[0, 1]" },
        { "kbuild", "jobs", "-1", "[0, 4096]" },
        { "trace", "between", "sometimes", "one of busy, idle" },
        { "hackbench", "sched", "bfs", "one of eevdf, cfs" },
        { "kbuild", "llc", "-1", "[0, 4096]" },
    };

    private static IWorkload Find(string name) => name switch
    {
        "hackbench" => new HackbenchWorkload(),
        "kbuild" => new KbuildWorkload(),
        _ => new TraceWorkload(),
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void An_out_of_range_value_is_an_error_naming_key_value_and_allowed_range(string workload, string key, string value, string allowed)
    {
        var w = Find(workload);
        var e = Assert.Throws<ParameterException>(() => WorkloadParameters.Create(w.Name, w.Parameters, [KeyValuePair.Create(key, value)]));
        Assert.Contains($"{key}={value}", e.Message);
        Assert.Contains(allowed, e.Message);
    }

    [Theory]
    [InlineData("hackbench")]
    [InlineData("kbuild")]
    [InlineData("trace")]
    public void An_unknown_key_is_an_error_naming_it_and_the_known_ones(string workload)
    {
        var w = Find(workload);
        var e = Assert.Throws<ParameterException>(() => WorkloadParameters.Create(w.Name, w.Parameters, [KeyValuePair.Create("bogus", "1")]));
        Assert.Contains("'bogus'", e.Message);
        Assert.Contains(w.Parameters[0].Name, e.Message);
    }

    [Theory]
    [InlineData("hackbench")]
    [InlineData("kbuild")]
    [InlineData("trace")]
    public void Every_kernel_workload_takes_the_kernel_parameters_from_the_one_shared_definition(string workload)
    {
        var w = Find(workload);
        foreach (var spec in Workloads.Kernel.KernelConfig.Specs) Assert.Contains(w.Parameters, p => ReferenceEquals(p, spec));
        var c = Workloads.Kernel.KernelConfig.From(WorkloadParameters.Create(w.Name, w.Parameters, []));
        Assert.Equal(Workloads.Kernel.KernelConfig.Default, c); // EEVDF, every vCPU in one LLC
        var set = Workloads.Kernel.KernelConfig.From(WorkloadParameters.Create(w.Name, w.Parameters,
            [KeyValuePair.Create("sched", "cfs"), KeyValuePair.Create("llc", "4")]));
        Assert.Equal((Workloads.Kernel.SchedClass.Cfs, 4), (set.Sched, set.LlcSize));
    }

    [Fact]
    public void Hackbench_defaults_are_the_programs()
    {
        var w = new HackbenchWorkload();
        var c = HackbenchConfig.From(WorkloadParameters.Create(w.Name, w.Parameters, []));
        Assert.Equal((10, 20, 100, 100, false, false), (c.Groups, c.Fds, c.Loops, c.DataSize, c.UsePipes, c.UseThreads));
        Assert.Equal(400, c.Tasks);
        Assert.Equal(400_000, c.Messages);
    }
}
