using IrqBench.Machine.Vcpus;

namespace IrqBench.Machine.Contracts;

/// <summary>
/// The hypervisor side of an interrupt controller (DESIGN §1): what KVM's vgic, the rVIC/rVID, or the ideal
/// controller do. It registers its traps when attached, runs work on guest exit and entry (charged on the vCPU),
/// drives each vCPU's virtual IRQ input, and decides when another vCPU must be kicked.
/// </summary>
public interface IIrqController
{
    string Name { get; }

    /// <summary>Creates per-vCPU state and maps MMIO regions, system registers and HVC ranges.</summary>
    void Attach(VirtualMachine vm);

    /// <summary>Work on guest exit when the exit reaches the host's run loop (GICv3: fold LR state back, prune).</summary>
    void OnGuestExit(Vcpu cpu);

    /// <summary>Work before guest entry from the host's run loop (GICv3: flush the ap_list into LRs; rVIC: recompute VI).</summary>
    void OnGuestEntry(Vcpu cpu);

    /// <summary>The vCPU's virtual IRQ input as the guest sees it now: an interrupt the guest would take if its
    /// PSTATE.I were clear (GICv3: a pending LR above the priority mask and running priority; rVIC: HCR_EL2.VI).</summary>
    bool IrqLineAsserted(Vcpu cpu);

    /// <summary>Whether a halted vCPU has a reason to run (KVM's kvm_arch_vcpu_runnable → kvm_vgic_vcpu_pending_irq).</summary>
    bool HasPendingForWake(Vcpu cpu);

    /// <summary>Whether a WFI on <paramref name="cpu"/> traps (HCR_EL2.TWI). KVM's default policy
    /// (kvm_vcpu_should_clear_twi) clears it only for a vCPU alone on its pCPU that can be woken by the hardware —
    /// GICv4 vLPIs or GICv4.1 vSGIs; otherwise WFI traps and the vCPU halts in the host.</summary>
    bool TrapsWfi(Vcpu cpu) => true;

    /// <summary>Whether the virtual timer's physical PPI makes a running vCPU exit (true for GICv3/rVIC under KVM).</summary>
    bool TimerExpiryExits { get; }

    /// <summary>The vCPU's virtual timer fired. Called in an exit (or, for a halted vCPU, from the host's background
    /// timer); the controller makes the timer interrupt pending.</summary>
    void OnVirtualTimerExpired(Vcpu cpu);

    /// <summary>How many interrupts are queued for <paramref name="cpu"/> now (the vgic's ap_list, the rVIC's pending
    /// bits): the trace's pending-interrupts counter track. -1 when the design does not say.</summary>
    int PendingInterrupts(Vcpu cpu) => -1;

    /// <summary>A device in the VMM signals an MSI (irqfd / KVM_SIGNAL_MSI), in host context at <paramref name="host"/>'s time.</summary>
    void SignalMsi(HostContext host, DeviceId device, MsiMessage msi);
}
