using IrqBench.Machine.Costs;
using IrqBench.Workloads.MicroBench;

namespace IrqBench.Rvic.Tests;

/// <summary>The rVIC's micro-benchmarks run to completion in the event loop with the exits their mechanics imply
/// (costs.md §5: every rVIC operation is a hypercall).</summary>
public class MicroBenchTests
{
    private static MicroBenchResult Run(string test, Organisation org = Organisation.Vhe, CostProfile? profile = null, string kitName = "rvic")
    {
        var kit = RvicKit.All.Single(k => k.Name == kitName);
        var t = MicroBenchRunner.TestsFor(kit).Single(x => x.Name == test);
        return MicroBenchRunner.Run(kit, profile ?? Rig.Profile(org), t, 1);
    }

    [Fact]
    public void Every_rvic_row_of_the_table_exists()
    {
        Assert.Equal(["hvc", "mmio_read_user", "eoi", "ipi", "lpi", "timer_10ms"], MicroBenchRunner.TestsFor(RvicKit.Kit).Select(t => t.Name));
    }

    [Fact]
    public void Ipi_is_signal_kick_acknowledge_and_clear_masked()
    {
        var r = Run("ipi");
        Assert.Equal(4.0, r.ExitsPerOp, 2);
        Assert.Equal(r.Iterations, r.Metrics!.IrqsDelivered.Value);
    }

    [Fact]
    public void Eoi_is_one_hypercall()
    {
        Assert.Equal(1.0, Run("eoi").ExitsPerOp, 2);
    }

    [Fact]
    public void Lpi_delivers_every_msi_once_through_the_rvid()
    {
        var r = Run("lpi");
        Assert.Equal(r.Iterations, r.Metrics!.IrqsDelivered.Value);
        Assert.Equal(r.Iterations, r.Metrics.MsisSignalled.Value);
        Assert.Equal(0, r.Metrics.Get("rvid_inputs_dropped").Value);
        Assert.InRange(r.ExitsPerOp, 2.0, 3.0); // ACKNOWLEDGE + CLEAR_MASKED, plus the kick when it lands in guest code
    }

    [Fact]
    public void Timer_is_the_timer_exit_acknowledge_resample_and_clear_masked_under_vhe_and_pkvm()
    {
        foreach (var org in new[] { Organisation.Vhe, Organisation.Pkvm })
        {
            var r = Run("timer_10ms", org);
            Assert.Equal(4.0, r.ExitsPerOp, 2);
            Assert.True(r.AvgNs > 0);
        }
    }

    [Fact]
    public void Under_pkvm_the_rvic_hypercalls_are_cheaper_than_a_null_hypercall_that_reaches_the_host()
    {
        var pkvm = Rig.Profile(Organisation.Pkvm).With("machine", "world_switch", 450);
        Assert.True(Run("eoi", profile: pkvm).AvgNs < Run("hvc", profile: pkvm).AvgNs);
    }

    [Theory]
    [MemberData(nameof(Rig.Variants), MemberType = typeof(Rig))]
    public void Every_variant_keeps_two_hypercalls_per_isolated_interrupt_so_ipi_and_timer_are_4_exits_and_eoi_1(string kit)
    {
        foreach (var org in new[] { Organisation.Vhe, Organisation.Pkvm })
        {
            var ipi = Run("ipi", org, kitName: kit);
            Assert.Equal((4.0, ipi.Iterations), (Math.Round(ipi.ExitsPerOp, 2), ipi.Metrics!.IrqsDelivered.Value));
            Assert.Equal(4.0, Run("timer_10ms", org, kitName: kit).ExitsPerOp, 2);
            Assert.Equal(1.0, Run("eoi", org, kitName: kit).ExitsPerOp, 2);
        }
    }

    [Fact]
    public void Msi_doorbell_is_the_guests_frame_write_then_acknowledge_and_clear_masked_on_the_target()
    {
        var r = Run("msi_doorbell", kitName: "rvic-msi");
        Assert.Equal(r.Iterations, r.Metrics!.IrqsDelivered.Value);
        Assert.Equal(0, r.Metrics.Get("rvid_inputs_dropped").Value);
        Assert.InRange(r.ExitsPerOp, 3.0, 4.0); // the data abort, ACKNOWLEDGE, CLEAR_MASKED, plus the kick when it lands in guest code
    }
}
