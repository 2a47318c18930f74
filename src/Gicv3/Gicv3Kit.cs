using IrqBench.Gicv3.Guest;
using IrqBench.Gicv3.MicroBench;
using IrqBench.Machine.Contracts;

namespace IrqBench.Gicv3;

/// <summary>The GICv3 as the Harness registers it: KVM's vgic on the hypervisor side, Linux's irq-gic-v3 in the
/// guest, and the kvm-unit-tests micro-benchmarks that need a GIC.</summary>
public static class Gicv3Kit
{
    public static ControllerKit Create(Gicv3Config? config = null)
    {
        var cfg = config ?? new Gicv3Config();
        return new ControllerKit("gicv3",
            () => new Gicv3Controller(cfg),
            vm => new Gicv3GuestDriver(vm, (Gicv3Controller)vm.Controller),
            () => [new MmioReadVgicTest(cfg), new EoiTest(), new IpiTest(), new Timer10msTest()],
            Gicv3Costs.Specs);
    }

    /// <summary>The default GICv3 ("gicv3").</summary>
    public static ControllerKit Kit { get; } = Create();
}
