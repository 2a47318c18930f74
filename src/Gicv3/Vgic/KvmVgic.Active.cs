using IrqBench.Machine.Vcpus;
using IrqBench.Gicv3.CpuInterface;

namespace IrqBench.Gicv3.Vgic;

internal sealed partial class KvmVgic
{
    /// <summary>
    /// vgic_access_active_prepare for a GICv3 guest: kvm_arm_halt_guest, so that the active state held in running
    /// vCPUs' list registers is exact. The machine charges the caller for the kicks and the wait, and makes the other
    /// vCPUs exit when <see cref="ResumeGuest"/> lets them go; the accesses in between see the list registers'
    /// state through <see cref="IsActive"/> and <see cref="ChangeActive"/>, which is what the halted vCPUs' folds
    /// would have given KVM.
    /// </summary>
    public void HaltGuest(VgicCpu caller) => Vm.HaltAllVcpus(caller.Vcpu);

    /// <summary>kvm_arm_resume_guest.</summary>
    public void ResumeGuest(VgicCpu caller) => Vm.ResumeAllVcpus(caller.Vcpu);

    /// <summary>The active state of <paramref name="irq"/> with every vCPU halted: a list register holding it is
    /// the truth; otherwise the software state.</summary>
    public bool IsActive(VgicIrq irq)
    {
        if (irq.OnLr && irq.Vcpu is { } v && FindLr(v, irq.IntId) is int i and >= 0)
            return IchLr.IsActive(v.Cpuif.GetLr(i));
        return irq.Active;
    }

    /// <summary>vgic_mmio_change_active with every vCPU halted: the new state is what the halted vCPU re-enters with,
    /// so a list register holding the interrupt is changed too. Activating queues the interrupt; a HW interrupt's
    /// physical active state follows.</summary>
    public void ChangeActive(ExecContext ctx, VgicIrq irq, bool active)
    {
        LockIrq(ctx, irq, Costs.MmioPerIrq);
        if (irq.DirectInjection) return; // a GICv4.1 vSGI has no active state
        if (irq.Hw) irq.PhysActive = active;
        if (irq.OnLr && irq.Vcpu is { } v && FindLr(v, irq.IntId) is int i and >= 0)
        {
            ulong lr = v.Cpuif.GetLr(i);
            v.Cpuif.SetLr(i, active ? lr | IchLr.StateActive : lr & ~IchLr.StateActive);
        }
        irq.Active = active;
        if (active) QueueIrqUnlock(ctx, irq);
    }

    public static int FindLr(VgicCpu v, uint intid)
    {
        if (!v.Loaded) return -1;
        for (int i = 0; i < v.UsedLrs; i++)
            if (IchLr.VIntId(v.Cpuif.GetLr(i)) == intid) return i;
        return -1;
    }
}
