using IrqBench.Workloads.Parameters;
using IrqBench.Workloads.Trace;

namespace IrqBench.Workloads.Tests.Trace;

public class TraceTests
{
    private static readonly TraceWorkload W = new();

    [Theory]
    [InlineData("busy")]
    [InlineData("idle")]
    public void The_example_replays_every_row_through_the_controller(string between)
    {
        var r = W.Run(TestMachine.Spec(W, 4, 1, ("between", between)));
        var rows = TraceReader.Parse(TraceWorkload.ReadText(TraceWorkload.ExampleName), "example");

        Assert.Equal(rows.Count, r.WorkUnits);
        int ipis = rows.Count(e => e.Kind == TraceKind.Ipi), devices = rows.Count(e => e.Kind == TraceKind.Device);
        Assert.Equal(devices, r.Metrics.MsisSignalled.Value);
        Assert.True(r.Metrics.IpisSent.Value >= ipis);
        Assert.True(r.Metrics.IrqsDelivered.Value >= rows.Count - 2); // edges to one vCPU at one instant may merge
        Assert.Equal(1, r.Metrics.Get("trace_device_affinity_moves").Value);
        Assert.True(r.SimCycles >= TestMachine.Profile.NsToCycles(rows[^1].TimeNs));
    }

    [Theory]
    [InlineData("time_ns,cpu,kind,source,target\n", 1, "expected the header")]
    [InlineData("time_ns,cpu,kind,source,target,id\n10,0,ipi,0,1,\n5,1,timer,,1,\n", 3, "earlier than the previous row")]
    [InlineData("time_ns,cpu,kind,source,target,id\n10,0,nmi,0,1,\n", 2, "unknown kind 'nmi'")]
    [InlineData("time_ns,cpu,kind,source,target,id\n10,0,ipi,0,0,\n", 2, "to itself")]
    [InlineData("# c\ntime_ns,cpu,kind,source,target,id\n10,0,ipi,0,1\n", 3, "expected 6 fields")]
    [InlineData("time_ns,cpu,kind,source,target,id\nabc,0,ipi,0,1,\n", 2, "time_ns 'abc'")]
    [InlineData("time_ns,cpu,kind,source,target,id\n10,1,device,,1,\n", 2, "device id")]
    [InlineData("time_ns,cpu,kind,source,target,id\n9223372036854775807,1,timer,,1,\n", 2, "is beyond 1000000000000 ns")]
    [InlineData("time_ns,cpu,kind,source,target,id\n10,1,device,1,1,disk\n", 2, "a device row has an empty source")]
    [InlineData("time_ns,cpu,kind,source,target,id\n10,1,timer,1,1,\n", 2, "a timer row has an empty source")]
    [InlineData("\u001b[2J\u0007,cpu\n", 1, "found '\\x1B[2J\\x07,cpu'")]
    public void A_malformed_trace_is_an_error_naming_file_line_and_problem(string text, int line, string problem)
    {
        var e = Assert.Throws<ParameterException>(() => TraceReader.Parse(text, "my.csv"));
        Assert.Contains($"trace my.csv line {line}:", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void A_trace_naming_more_vcpus_than_the_vm_has_is_an_error()
    {
        string path = Path.Combine(Path.GetTempPath(), $"irqbench-trace-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "time_ns,cpu,kind,source,target,id\n100,0,ipi,0,5,resched\n");
        try
        {
            var e = Assert.Throws<ParameterException>(() => W.Run(TestMachine.Spec(W, 4, 1, ("file", path))));
            Assert.Contains("line 2", e.Message);
            Assert.Contains("vCPU 5", e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_missing_trace_file_is_an_error_naming_it()
    {
        var e = Assert.Throws<ParameterException>(() => W.Run(TestMachine.Spec(W, 4, 1, ("file", "/nonexistent/t.csv"))));
        Assert.Contains("/nonexistent/t.csv", e.Message);
    }
}
