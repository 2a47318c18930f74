namespace IrqBench.Gicv3.Vgic;

internal sealed partial class KvmVgic
{
    /// <summary>
    /// v6.19's vgic_v3_deactivate, for a trapped ICV_DIR_EL1 that the EL2 fast path could not finish (EOImode = 1 and
    /// the interrupt is not active in this vCPU's list registers). What decides is the ap_list that holds the
    /// interrupt (irq->vcpu), not the oracle: an interrupt acknowledged in another vCPU's list register is neither
    /// active nor pending in software until that vCPU exits, and the oracle would send it nowhere. On no ap_list:
    /// nothing to do. In a list register: the big hammer, an ICACTIVER write (vgic_mmio_write_cactive, which halts the
    /// guest). Otherwise a pseudo-LR of its state with the active bit cleared is folded. The owner prunes before its
    /// next entry (KVM_REQ_VGIC_PROCESS_UPDATE).
    /// </summary>
    public void Deactivate(VgicCpu c, uint intid)
    {
        if (!c.Cpuif.EoiModeSplit || intid >= Dist.NrIrqs) return;
        var irq = GetIrq(c, intid)!;
        LockIrq(c.Vcpu, irq);
        if (irq.Vcpu is not { } owner) return;
        if (irq.OnLr)
        {
            HaltGuest(c);
            ChangeActive(c.Vcpu, irq, false);
            ResumeGuest(c);
        }
        else FoldDeactivated(c, irq);
        owner.PruneRequested = true;
    }
}
