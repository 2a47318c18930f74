using IrqBench.Gicv3.Guest;
using IrqBench.Gicv3.MicroBench;
using IrqBench.Machine.Contracts;

namespace IrqBench.Gicv3;

/// <summary>The GICv3 as the Harness registers it: KVM's vgic on the hypervisor side, Linux's irq-gic-v3 in the
/// guest, and the kvm-unit-tests micro-benchmarks that need a GIC.</summary>
public static class Gicv3Kit
{
    public static ControllerKit Create(string name, Gicv3Config? config = null)
    {
        var cfg = config ?? new Gicv3Config();
        return new ControllerKit(name,
            () => new Gicv3Controller(cfg, name),
            vm => new Gicv3GuestDriver(vm, (Gicv3Controller)vm.Controller),
            () =>
            [
                new MmioReadVgicTest(cfg), new EoiTest(), new IpiTest(cfg), new IpiHwTest(cfg), new LpiTest(cfg),
            ],
            Gicv3Costs.Specs);
    }

    /// <summary>The emulated GICv3 with an ITS ("gicv3").</summary>
    public static ControllerKit Kit { get; } = Create("gicv3");

    /// <summary>The same on a GICv4.1 host ("gicv4.1"): hardware vSGIs, and the devices behind the ITS as passthrough
    /// functions whose vLPIs the hardware delivers.</summary>
    public static ControllerKit Gicv41Kit { get; } = Create("gicv4.1", new Gicv3Config { Gicv41 = true });
}
