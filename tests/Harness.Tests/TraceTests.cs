using System.Text.Json;
using IrqBench.Machine.Metrics;
using IrqBench.Machine.Tracing;
using IrqBench.Workloads;
using IrqBench.Workloads.MicroBench;
using IrqBench.Workloads.Parameters;

namespace IrqBench.Harness.Tests;

/// <summary>Issue 12: a run's timeline as Chrome trace events, and where each interrupt's latency goes.</summary>
public class TraceTests
{
    private const int Iterations = 40;

    private static (JsonElement Events, MicroBenchResult Result) TraceIpi(string controller)
    {
        var kit = Registry.FindController(controller)!;
        var profile = ProfileStore.Load("altra-vhe");
        var test = MicroBenchRunner.TestsFor(kit).Single(t => t.Name == "ipi");
        var ms = new MemoryStream();
        MicroBenchResult r;
        using (var w = new ChromeTraceWriter(ms, profile.FrequencyHz)) r = MicroBenchRunner.Run(kit, profile, test, 1, Iterations, w);
        var doc = JsonDocument.Parse(ms.ToArray());
        return (doc.RootElement.GetProperty("traceEvents").Clone(), r);
    }

    [Theory]
    [InlineData("gicv3")]
    [InlineData("rvic")]
    [InlineData("ideal")]
    public void Every_IPI_has_exactly_one_flow_from_its_send_to_its_handler_and_no_vcpus_slices_overlap(string controller)
    {
        var (events, r) = TraceIpi(controller);
        var all = events.EnumerateArray().ToList();
        Assert.All(all, e => { _ = e.GetProperty("ph").GetString(); _ = e.GetProperty("pid"); });
        var irqFlows = all.Where(e => e.GetProperty("ph").GetString() is "s" or "f" && e.GetProperty("name").GetString() == "irq").ToList();
        var byId = irqFlows.GroupBy(e => e.GetProperty("id").GetInt64()).ToList();
        Assert.All(byId, g => Assert.Equal(["f", "s"], g.Select(e => e.GetProperty("ph").GetString()!).Order()));
        // every delivered interrupt of the run: the IPIs (one per iteration) and anything else the boot took
        Assert.Equal(r.Metrics!.IrqsDelivered.Value, byId.Count);
        Assert.True(byId.Count >= Iterations);
        // an IPI's flow goes from vCPU0 (the sender) to vCPU1 (the handler)
        var ipi = byId.Last();
        Assert.Equal(0, ipi.Single(e => e.GetProperty("ph").GetString() == "s").GetProperty("tid").GetInt32());
        Assert.Equal(1, ipi.Single(e => e.GetProperty("ph").GetString() == "f").GetProperty("tid").GetInt32());

        foreach (var track in all.Where(e => e.GetProperty("ph").GetString() == "X").GroupBy(e => e.GetProperty("tid").GetInt32()))
        {
            var slices = track.Select(e => (Start: e.GetProperty("ts").GetDouble(), End: e.GetProperty("ts").GetDouble() + e.GetProperty("dur").GetDouble()))
                .OrderBy(s => s.Start).ToList();
            for (int i = 1; i < slices.Count; i++) Assert.True(slices[i].Start >= slices[i - 1].End - 1e-6, $"vCPU {track.Key}: slices overlap at {slices[i].Start} µs");
        }
    }

    [Fact]
    public void Exits_are_named_as_KVM_names_them()
    {
        var (events, _) = TraceIpi("gicv3");
        var names = events.EnumerateArray().Where(e => e.GetProperty("ph").GetString() == "X").Select(e => e.GetProperty("name").GetString()).ToHashSet();
        Assert.Contains("SYS64 ICC_SGIxR", names);   // the sender's trapped SGI1R write
        Assert.Contains("IRQ (kick)", names);        // the receiver's exit on the kick
        Assert.Contains("IRQ handler", names);
        Assert.Contains("guest (spin)", names);
        var (rvic, _) = TraceIpi("rvic");
        Assert.Contains("HVC64", rvic.EnumerateArray().Where(e => e.GetProperty("ph").GetString() == "X").Select(e => e.GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData("gicv3")]
    [InlineData("rvic")]
    public void The_stages_of_every_interrupts_latency_add_up_exactly_to_its_latency(string controller)
    {
        var kit = Registry.FindController(controller)!;
        var profile = ProfileStore.Load("altra-vhe");
        var r = MicroBenchRunner.Run(kit, profile, MicroBenchRunner.TestsFor(kit).Single(t => t.Name == "ipi"), 1, 500);
        var m = r.Metrics!;
        long stageTotal = LatencyStages.All.Sum(s => m.Stages.TotalCycles(IrqKind.Ipi, s));
        long latencyTotal = 0;
        foreach (long l in m.IrqLatencyOf(IrqKind.Ipi).Samples) latencyTotal += l;
        Assert.Equal(latencyTotal, stageTotal);
        Assert.True(m.Stages.TotalCycles(IrqKind.Ipi, LatencyStage.Kick) > 0, "the target spins in the guest: every IPI needs a kick");
    }

    [Fact]
    public void The_ACKNOWLEDGE_hypercall_shows_in_rVICs_ack_stage()
    {
        var profile = ProfileStore.Load("altra-vhe");
        double AckPerIpi(string c)
        {
            var kit = Registry.FindController(c)!;
            var m = MicroBenchRunner.Run(kit, profile, MicroBenchRunner.TestsFor(kit).Single(t => t.Name == "ipi"), 1, 500).Metrics!;
            return (double)m.Stages.TotalCycles(IrqKind.Ipi, LatencyStage.Ack) / m.IrqLatencyOf(IrqKind.Ipi).Count;
        }
        // ICC_IAR1_EL1 is served by the CPU interface; ACKNOWLEDGE is a full hypercall round trip.
        Assert.True(AckPerIpi("rvic") > AckPerIpi("gicv3") + profile.Get("machine", "smccc_dispatch"));
    }

    [Theory]
    [InlineData("gicv3")]
    [InlineData("rvic")]
    public void The_exit_and_injection_stages_are_those_of_the_kick_that_delivered_the_IPI_even_when_the_acknowledge_traps(string controller)
    {
        var profile = ProfileStore.Load("altra-vhe");
        var kit = Registry.FindController(controller)!;
        var m = MicroBenchRunner.Run(kit, profile, MicroBenchRunner.TestsFor(kit).Single(t => t.Name == "ipi"), 1, 500).Metrics!;
        long n = m.IrqLatencyOf(IrqKind.Ipi).Count;
        // The receiver spins in the guest: each IPI's kick makes it exit, the host injects (LR write, or VI set by the
        // sync at entry) and enters. rVIC's ACKNOWLEDGE is a later exit of its own, which must not pass for that one.
        Assert.True(m.Stages.TotalCycles(IrqKind.Ipi, LatencyStage.Exit) / n >= profile.Get("machine", "host_irq"));
        Assert.True(m.Stages.TotalCycles(IrqKind.Ipi, LatencyStage.Inject) > 0);
    }

    [Theory]
    [InlineData("gicv3")]
    [InlineData("rvic")]
    [InlineData("ideal")]
    public void The_receivers_pending_interrupts_are_a_counter_track_that_rises_with_each_IPI_and_falls_when_it_is_taken(string controller)
    {
        var (events, _) = TraceIpi(controller);
        var counts = events.EnumerateArray().Where(e => e.GetProperty("ph").GetString() == "C" && e.GetProperty("name").GetString() == "pending interrupts, vCPU 1")
            .Select(e => e.GetProperty("args").GetProperty("value").GetInt64()).ToList();
        Assert.NotEmpty(counts);
        Assert.Contains(counts, n => n >= 1); // signalled
        Assert.Contains(0L, counts);          // acknowledged (an edge-triggered IPI leaves nothing queued)
    }

    [Fact]
    public void Tracing_leaves_every_counter_of_a_run_unchanged()
    {
        var w = Registry.FindWorkload("hackbench")!;
        var kit = Registry.FindController("gicv3")!;
        var profile = ProfileStore.Load("altra-vhe");
        var p = WorkloadParameters.Create(w.Name, w.Parameters, [new("groups", "1"), new("fds", "5"), new("loops", "10")]);
        var plain = w.Run(new RunSpec(kit, profile, 4, 3, p));
        var traced = MicroBenchRunner.Run(kit, profile, MicroBenchRunner.TestsFor(kit).Single(t => t.Name == "ipi"), 1, 10,
            new ChromeTraceWriter(Stream.Null, profile.FrequencyHz));
        Assert.NotNull(traced.Metrics);
        var again = w.Run(new RunSpec(kit, profile, 4, 3, p) { Trace = new ChromeTraceWriter(Stream.Null, profile.FrequencyHz) });
        Assert.Equal(plain.SimCycles, again.SimCycles);
        Assert.Equal(plain.Metrics.All.Select(c => (c.Name, c.Value)), again.Metrics.All.Select(c => (c.Name, c.Value)));
    }
}
