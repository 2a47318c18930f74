using IrqBench.Gicv3.CpuInterface;
using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Vcpus;
using Xunit;

namespace IrqBench.Gicv3.Tests.Vgic;

/// <summary>The SGI path (SGI1R trap, dispatch, kick, flush, IAR, EOI, fold) allocates nothing in steady state.
/// The machine's latency recorder grows by doubling past 1024 samples: the measured window stays inside it.</summary>
public class AllocationTests
{
    private sealed class Sender(GuestFlag handled) : IGuestProgram
    {
        public void Start(Vcpu cpu) => Resume(cpu);
        public void Resume(Vcpu cpu) { handled.Clear(); cpu.SysregWrite(IccSysRegs.Sgi1r, 1UL << 24 | 0b10); cpu.SpinUntil(handled); }
        public void OnIrq(Vcpu cpu) { }
    }
    private sealed class Receiver(GuestFlag handled) : IGuestProgram
    {
        private readonly GuestFlag never = new();
        public long Handled;
        public void Start(Vcpu cpu) => cpu.SpinUntil(never);
        public void Resume(Vcpu cpu) => cpu.SpinUntil(never);
        public void OnIrq(Vcpu cpu)
        {
            ulong id = cpu.SysregRead(IccSysRegs.Iar1);
            if (id >= 1020) return;
            Handled++; handled.Set(cpu); cpu.SysregWrite(IccSysRegs.Eoir1, id);
        }
    }

    [Fact]
    public void Steady_state_SGI_delivery_allocates_nothing()
    {
        var (vm, gic) = TestVm.Create();
        TestVm.BasicSetup(vm, gic);
        var flag = new GuestFlag();
        var r = new Receiver(flag);
        vm.Boot(v => v.Id.Value == 0 ? new Sender(flag) : r);
        while (r.Handled < 16 && vm.Queue.Step()) { }

        long before = GC.GetAllocatedBytesForCurrentThread();
        while (r.Handled < 16 + 512 && vm.Queue.Step()) { }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(16 + 512, r.Handled);
        Assert.Equal(0, allocated);
    }
}
