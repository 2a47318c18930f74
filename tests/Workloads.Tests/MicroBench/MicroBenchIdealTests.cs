using IrqBench.Machine.Costs;
using IrqBench.Machine.Ideal;
using IrqBench.Workloads.MicroBench;

namespace IrqBench.Workloads.Tests.MicroBench;

/// <summary>The micro-bench runner measures what the model composes for one operation, like kvm-unit-tests (one
/// timestamp pair around the loop, divided by the iterations).</summary>
public class MicroBenchIdealTests
{
    private static CostProfile Profile()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string path = Path.Combine(d.FullName, "profiles", "altra-vhe.json");
            if (File.Exists(path)) return ProfileLoader.LoadFileForSections(path, MachinePrimitives.Specs);
        }
        throw new InvalidOperationException("profiles/altra-vhe.json not found");
    }

    private static long M(CostProfile p, string n) => p.Get(MachinePrimitives.Section, n);

    [Fact]
    public void Hvc_averages_exactly_one_null_hypercall_round_trip_with_one_exit_per_op()
    {
        var p = Profile();
        var r = MicroBenchRunner.Run(IdealGuestIrqChip.Kit, p, new HvcTest(), seed: 1);
        long expected = M(p, "exception_roundtrip") + M(p, "vcpu_exit_save") + M(p, "vcpu_entry_restore") + M(p, "smccc_dispatch");
        Assert.Equal(expected * r.Iterations, r.TotalCycles);
        Assert.Equal(1.0, r.ExitsPerOp);
        Assert.Equal(306, r.PublishedNs);
    }

    [Fact]
    public void Mmio_read_user_exits_to_the_vmm_once_per_read()
    {
        var p = Profile();
        var r = MicroBenchRunner.Run(IdealGuestIrqChip.Kit, p, new MmioReadUserTest(), seed: 1);
        long expected = M(p, "exception_roundtrip") + M(p, "vcpu_exit_save") + M(p, "vcpu_entry_restore") + M(p, "mmio_abort_decode")
                        + M(p, "user_exit") + M(p, "vmm_mmio_handler");
        Assert.Equal(expected * r.Iterations, r.TotalCycles);
        Assert.Equal(r.Iterations, r.Metrics!.ExitsMmioUser.Value);
    }

    [Fact]
    public void On_the_ideal_controller_an_ipi_and_a_timer_expiry_cost_no_exit()
    {
        var p = Profile();
        var tests = MicroBenchRunner.TestsFor(IdealGuestIrqChip.Kit);
        Assert.Equal(["hvc", "mmio_read_user", "ipi", "timer_10ms"], tests.Select(t => t.Name));
        var ipi = MicroBenchRunner.Run(IdealGuestIrqChip.Kit, p, tests.Single(t => t.Name == "ipi"), seed: 1, iterations: 500);
        var timer = MicroBenchRunner.Run(IdealGuestIrqChip.Kit, p, tests.Single(t => t.Name == "timer_10ms"), seed: 1, iterations: 8);
        Assert.Equal(0, ipi.ExitsPerOp);
        Assert.Equal(0, timer.ExitsPerOp);
        Assert.Equal(500, ipi.Metrics!.IrqsDelivered.Value);
        // What is left of an IPI without a controller: the receiver's exception entry and the flag's transfer back.
        Assert.Equal(p.CyclesToNs(p.Get("machine", "guest_irq_exception") + p.Get("machine", "line_transfer")), ipi.AvgNs, 3);
    }

    [Fact]
    public void A_kits_own_test_replaces_the_generic_test_of_the_same_name()
    {
        var own = new HvcTest();
        var kit = IdealGuestIrqChip.Kit with { MicroBenchmarks = () => [own] };
        Assert.Same(own, MicroBenchRunner.TestsFor(kit).Single(t => t.Name == "hvc"));
        Assert.Equal(4, MicroBenchRunner.TestsFor(kit).Count);
    }
}
