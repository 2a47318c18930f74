using IrqBench.Machine.Costs;
using IrqBench.Machine.Traps;
using IrqBench.Machine.Vcpus;
using R = IrqBench.Gicv3.Registers.Gicr;

namespace IrqBench.Gicv3.Tests.Costs;

/// <summary>
/// An exit handled at EL2 (Placement.El2) returns to the guest without the host's run loop under every organisation:
/// under VHE that is fixup_guest_exit's fast path inside __kvm_vcpu_run_vhe, under nVHE and pKVM the hyp's own
/// handler. It costs the exception round trip and hyp_fast_path, and no vCPU exit or entry, no fold and no flush.
/// </summary>
public class El2FastPathCostTests
{
    private const uint Fid = 0xC600_0042;
    private const long Work = 25;

    private sealed class FixedWork : IHvcHandler
    {
        public HvcResult Call(Vcpu cpu, in HvcArgs args)
        {
            cpu.ChargeHyp(Work);
            return new HvcResult(0);
        }
    }

    private static long M(CostProfile p, string name) => p.Get(MachinePrimitives.Section, name);

    [Theory]
    [InlineData("altra-vhe")]
    [InlineData("seattle-nvhe")]
    [InlineData("pkvm")]
    public void An_exit_handled_at_EL2_costs_the_exception_and_the_fast_path_and_leaves_the_list_registers_loaded(string profile)
    {
        var (vm, gic) = TestVm.Create(1, profile: profile);
        TestVm.BasicSetup(vm, gic);
        var cpu = vm.Vcpus[0];
        vm.Router.MapHvc("el2 test", Fid, Fid, new FixedWork(), Placement.El2);
        // An SGI made pending through the redistributor: the entry after that exit writes it into a list register.
        cpu.MmioWrite(TestVm.Sgi(gic, 0, R.ISPendR0), 4, 1u << 2);
        var c = gic.Vgic.CpuOf(cpu);
        Assert.Equal(1, c.UsedLrs);
        long lrReads = vm.Metrics.LrReads.Value, lrWrites = vm.Metrics.LrWrites.Value;
        long hypBefore = vm.Metrics.Exits.TotalCycles(ExitReason.Hvc);

        long t0 = cpu.Now;
        cpu.Hvc(new HvcArgs(Fid));
        long cycles = cpu.Now - t0;

        var p = vm.Profile;
        Assert.Equal(M(p, "exception_roundtrip") + M(p, "hyp_fast_path") + M(p, "smccc_dispatch") + Work, cycles);
        Assert.Equal((lrReads, lrWrites), (vm.Metrics.LrReads.Value, vm.Metrics.LrWrites.Value)); // no fold, no flush
        Assert.True(c.Loaded);
        Assert.Equal(1, c.UsedLrs);
        Assert.Equal(1, vm.Metrics.ExitsHvc.Value);
        Assert.Equal(cycles, vm.Metrics.Exits.TotalCycles(ExitReason.Hvc) - hypBefore);
    }

    [Fact]
    public void Under_VHE_the_same_hypercall_handled_in_the_host_kernel_pays_the_run_loop_exit_and_entry_beside_the_vgic_work()
    {
        var (vm, gic) = TestVm.Create(1);
        TestVm.BasicSetup(vm, gic);
        var cpu = vm.Vcpus[0];
        vm.Router.MapHvc("host test", Fid, Fid, new FixedWork(), Placement.HostKernel);
        long lrReads = vm.Metrics.LrReads.Value;
        long t0 = cpu.Now;
        cpu.Hvc(new HvcArgs(Fid));
        var p = vm.Profile;
        // Nothing in the list registers: KVM's v6.12 fold and flush of an empty ap_list cost nothing.
        Assert.Equal(M(p, "exception_roundtrip") + M(p, "vcpu_exit_save") + M(p, "vcpu_entry_restore") + M(p, "smccc_dispatch") + Work,
            cpu.Now - t0);
        Assert.Equal(lrReads, vm.Metrics.LrReads.Value);
    }
}
