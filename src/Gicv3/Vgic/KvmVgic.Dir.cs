using IrqBench.Gicv3.CpuInterface;

namespace IrqBench.Gicv3.Vgic;

internal sealed partial class KvmVgic
{
    /// <summary>
    /// v6.19's vgic_v3_deactivate, for a trapped ICV_DIR_EL1 that the EL2 fast path could not finish (EOImode = 1 and
    /// the interrupt is not active in this vCPU's list registers): nothing to do if it is on no ap_list or not
    /// active; if another vCPU holds it in a list register, the big hammer (an ICACTIVER write, which halts the guest);
    /// otherwise fold a pseudo-LR with the active bit cleared. The owner prunes before its next entry.
    /// </summary>
    public void Deactivate(VgicCpu c, uint intid)
    {
        if (!c.Cpuif.EoiModeSplit || intid >= Dist.NrIrqs) return;
        var irq = GetIrq(c, intid)!;
        LockIrq(c.Vcpu, irq);
        var target = Oracle(irq);
        if (target is null) return;
        if (irq.OnLr)
        {
            HaltGuest(c);
            ChangeActive(c.Vcpu, irq, false);
            ResumeGuest(c);
        }
        else if (irq.Active)
        {
            ulong lr = ComputeLr(irq, out _) & ~IchLr.StateActive;
            if ((lr & IchLr.Hw) != 0) PhysicalDeactivate(c, IchLr.PIntId(lr));
            FoldLr(c, lr);
        }
        else return;
        target.PruneRequested = true;
    }
}
