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
            Gicv3Costs.Specs)
        {
            HostSurface = (controller, organisation) => new Trust.Gicv3HostAttackSurface((Gicv3Controller)controller, organisation),
            Surface = organisation => Trust.Gicv3TrustedSurface.Compute(name, cfg, organisation),
        };
    }

    /// <summary>The configuration of "gicv3-trapall": a host CPU interface with a broken ICH_VTR_EL2.SEIS and no TDIR
    /// (the Apple M1 as KVM's 2021 workaround handles it), so that KVM sets ICH_HCR_EL2.TC | TALL0 | TALL1 and
    /// emulates every ICC access at EL2; the guest booted with irqchip.gicv3_pseudo_nmi=1.</summary>
    public static Gicv3Config TrapAllConfig => new() { BrokenSeis = true, HasTdir = false, GuestPseudoNmi = true };

    /// <summary>The emulated GICv3 with an ITS ("gicv3").</summary>
    public static ControllerKit Kit { get; } = Create("gicv3");

    /// <summary>The same on a GICv4.1 host ("gicv4.1"): hardware vSGIs, and the devices behind the ITS as passthrough
    /// functions whose vLPIs the hardware delivers.</summary>
    public static ControllerKit Gicv41Kit { get; } = Create("gicv4.1", new Gicv3Config { Gicv41 = true });

    /// <summary>"gicv3-trapall": the GICv3 with every ICC access trapped and emulated by KVM's EL2 fast path
    /// (ICH_HCR_EL2.TC | TALL0 | TALL1, the Apple M1's SEIS workaround) and a pseudo-NMI guest, whose every
    /// local_irq_save/restore and IRQ entry and exit then write ICC_PMR_EL1 through a trap.</summary>
    public static ControllerKit TrapAllKit { get; } = Create("gicv3-trapall", TrapAllConfig);
}
