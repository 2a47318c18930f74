using IrqBench.Machine.Vcpus;

namespace IrqBench.Machine.Contracts;

/// <summary>
/// The guest kernel's irqchip driver (DESIGN §1): what Linux's irq-gic-v3, irq-rvic/irq-rvid, or the ideal driver do,
/// expressed as the architectural accesses they issue on a vCPU. Workloads reach interrupt controllers only through
/// this, so they run unchanged on every controller.
/// </summary>
public interface IGuestIrqChip
{
    string Name { get; }

    /// <summary>Controller-wide initialisation, on the boot vCPU (distributor set-up, probe).</summary>
    void InitBootCpu(Vcpu cpu);

    /// <summary>Per-CPU bring-up on <paramref name="cpu"/> itself (redistributor wake-up, rVIC ENABLE...).
    /// Leaves the timer interrupt and every IPI enabled.</summary>
    void InitCpu(Vcpu cpu);

    /// <summary>Sends <paramref name="kind"/> to every target (never the sender itself). Counts one ipis_sent per
    /// target.</summary>
    void SendIpi(Vcpu from, IpiKind kind, ReadOnlySpan<VcpuId> targets);

    /// <summary>The IRQ exception entry (Linux's handle_arch_irq): acknowledge one interrupt, run its handler through
    /// <paramref name="handlers"/>, complete it. Called with guest IRQs masked.</summary>
    void HandleIrq(Vcpu cpu, IGuestIrqHandlers handlers);

    /// <summary>Allocates and enables an MSI for a device vector, routed to <paramref name="affinity"/>; the returned
    /// message is what the guest writes into the device's MSI-X table.</summary>
    DeviceIrq SetupDeviceIrq(Vcpu cpu, DeviceId device, uint vector, VcpuId affinity);

    /// <summary>Moves a device interrupt to another vCPU (irq_set_affinity), without losing a pending one.</summary>
    void SetAffinity(Vcpu cpu, DeviceIrq irq, VcpuId target);

    void MaskDeviceIrq(Vcpu cpu, DeviceIrq irq);
    void UnmaskDeviceIrq(Vcpu cpu, DeviceIrq irq);

    /// <summary>local_irq_disable / local_irq_save (and the spin_lock_irqsave around them): where the kernel masks
    /// interrupts. Normally PSTATE.I, which no controller sees; a driver in pseudo-NMI mode (irq-gic-v3 with
    /// irqchip.gicv3_pseudo_nmi=1) writes ICC_PMR_EL1 instead. The kernel model runs such sections within one burst,
    /// so this is about what the masking costs, not about when interrupts are taken.</summary>
    void LocalIrqDisable(Vcpu cpu) { }

    /// <summary>local_irq_enable / local_irq_restore: the counterpart of <see cref="LocalIrqDisable"/>.</summary>
    void LocalIrqEnable(Vcpu cpu) { }
}

/// <summary>The guest kernel's handlers, called by the chip driver between acknowledge and completion.</summary>
public interface IGuestIrqHandlers
{
    void OnIpi(Vcpu cpu, IpiKind kind);
    void OnTimer(Vcpu cpu);
    void OnDeviceIrq(Vcpu cpu, DeviceIrq irq);
}
