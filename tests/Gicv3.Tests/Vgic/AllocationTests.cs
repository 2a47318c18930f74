using IrqBench.Gicv3.Guest;
using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Vcpus;
using Xunit;

namespace IrqBench.Gicv3.Tests.Vgic;

/// <summary>The SGI path (SGI1R trap, dispatch, kick, flush, IAR, EOI, fold) allocates nothing in steady state.
/// The machine's latency recorder grows by doubling past 1024 samples: the measured window stays inside it.</summary>
public class AllocationTests
{
    [Fact]
    public void Steady_state_SGI_delivery_allocates_nothing()
    {
        var (vm, gic) = TestVm.Create();
        TestVm.BasicSetup(vm, gic);
        var flag = new GuestFlag();
        var r = new SgiPingPong.Receiver(flag);
        vm.Boot(v => v.Id.Value == 0 ? new SgiPingPong.Sender(flag) : r);
        while (r.Handled < 16 && vm.Queue.Step()) { }

        long before = GC.GetAllocatedBytesForCurrentThread();
        while (r.Handled < 16 + 512 && vm.Queue.Step()) { }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(16 + 512, r.Handled);
        Assert.Equal(0, allocated);
    }
}
