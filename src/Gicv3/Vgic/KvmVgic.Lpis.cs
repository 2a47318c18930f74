using IrqBench.Machine.Vcpus;

namespace IrqBench.Gicv3.Vgic;

internal sealed partial class KvmVgic
{
    public const uint FirstLpi = 8192;

    /// <summary>GICR_PROPBASER.PA [51:12], GICR_PENDBASER.PA [51:16] and PTZ.</summary>
    public const ulong PropBaserAddressMask = 0x000F_FFFF_FFFF_F000, PendBaserAddressMask = 0x000F_FFFF_FFFF_0000,
        PendBaserPtz = 1UL << 62;

    /// <summary>The VM's LPIs by INTID (KVM's dist->lpi_xa): created by the ITS when it maps an event.</summary>
    private readonly Dictionary<uint, VgicIrq> lpis = new();

    public IReadOnlyDictionary<uint, VgicIrq> Lpis => lpis;

    private VgicIrq? GetLpi(uint intid) => lpis.TryGetValue(intid, out var irq) && irq.Mapped ? irq : null;

    /// <summary>max_lpis_propbaser: LPI INTIDs below 2^(PROPBASER.IDbits + 1), at most 16 bits.</summary>
    public uint LpiLimit => 1u << Math.Min((int)(Dist.PropBaser & 0x1F) + 1, 16);

    /// <summary>
    /// vgic_add_lpi: the LPI with this INTID, shared by every ITE that maps it. A new one is edge, Group 1, aimed at
    /// <paramref name="target"/>, with its priority and enable read from the property table and its pending bit
    /// taken (and cleared) from the target's pending table.
    /// </summary>
    public VgicIrq AddLpi(ExecContext ctx, uint intid, VgicCpu? target, bool direct)
    {
        if (lpis.TryGetValue(intid, out var existing) && existing.Mapped)
        {
            existing.LpiRefs++;
            return existing;
        }
        ctx.ChargeHyp(Costs.LpiAlloc);
        var irq = new VgicIrq(this, intid, null) { Group = 1, TargetVcpu = target, LpiRefs = 1, DirectInjection = direct };
        lpis[intid] = irq;
        UpdateLpiConfig(ctx, irq, null);
        SyncLpiPendingStatus(ctx, irq);
        return irq;
    }

    /// <summary>An ITE that mapped <paramref name="irq"/> went away (vgic_put_irq). When the last one goes the LPI is
    /// unmapped: it loses its pending state and leaves the LPI table once no ap_list holds it.</summary>
    public void PutLpi(ExecContext ctx, VgicIrq irq)
    {
        if (--irq.LpiRefs > 0) return;
        LockIrq(ctx, irq);
        irq.Mapped = false;
        irq.PendingLatch = false;
        ClearDirectPending(irq);
        if (irq.Vcpu is null) ReleaseLpi(irq);
    }

    /// <summary>The last reference to an unmapped LPI went with its ap_list entry (vgic_put_irq).</summary>
    private void ReleaseLpi(VgicIrq irq)
    {
        if (lpis.TryGetValue(irq.IntId, out var cur) && cur == irq) lpis.Remove(irq.IntId);
    }

    /// <summary>update_lpi_config: re-read the property byte (priority [7:2], enable [0]); unless
    /// <paramref name="filter"/> names another target, apply it and queue (a forwarded vLPI has its configuration
    /// sent to the physical ITS instead).</summary>
    public void UpdateLpiConfig(ExecContext ctx, VgicIrq irq, VgicCpu? filter)
    {
        ctx.ChargeHyp(Costs.LpiConfigRead);
        byte prop = Vm.Memory.ReadByte((Dist.PropBaser & PropBaserAddressMask) + irq.IntId - FirstLpi);
        LockIrq(ctx, irq);
        if (filter is not null && filter != irq.TargetVcpu) return;
        irq.Priority = (byte)(prop & 0xFC);
        irq.Enabled = (prop & 1) != 0;
        if (irq.DirectInjection) V4UpdateConfig(ctx, irq);
        else QueueIrqUnlock(ctx, irq);
    }

    /// <summary>vgic_v3_lpi_sync_pending_status: the target's pending-table bit becomes the pending state, and a set
    /// bit is consumed (cleared in guest memory).</summary>
    private void SyncLpiPendingStatus(ExecContext ctx, VgicIrq irq)
    {
        if (irq.TargetVcpu is not { } vcpu) return;
        ulong ptr = (vcpu.PendBaser & PendBaserAddressMask) + irq.IntId / 8;
        int bit = (int)(irq.IntId % 8);
        byte val = Vm.Memory.ReadByte(ptr);
        bool status = (val & (1 << bit)) != 0;
        if (irq.DirectInjection)
        {
            if (status) MakeDirectPending(ctx, irq);
        }
        else
        {
            LockIrq(ctx, irq);
            if (status && !irq.IsPending) irq.Origin = Vm.Raise(ctx);
            irq.PendingLatch = status;
            QueueIrqUnlock(ctx, irq);
        }
        if (status) Vm.Memory.WriteByte(ptr, (byte)(val & ~(1 << bit)));
    }

    /// <summary>its_sync_lpi_pending_table, when a redistributor's EnableLPIs goes 0 → 1 without PTZ: every LPI aimed
    /// at it takes its pending state from the pending table.</summary>
    public void SyncPendingTable(ExecContext ctx, VgicCpu vcpu)
    {
        ulong pendbase = vcpu.PendBaser & PendBaserAddressMask;
        foreach (var irq in lpis.Values)
        {
            if (irq.TargetVcpu != vcpu || !irq.Mapped) continue;
            bool status = (Vm.Memory.ReadByte(pendbase + irq.IntId / 8) & (1 << (int)(irq.IntId % 8))) != 0;
            if (irq.DirectInjection) { if (status) MakeDirectPending(ctx, irq); continue; }
            LockIrq(ctx, irq);
            irq.PendingLatch = status;
            QueueIrqUnlock(ctx, irq);
        }
    }

    /// <summary>vgic_flush_pending_lpis, when EnableLPIs goes 1 → 0: the redistributor's LPIs leave its ap_list.</summary>
    public void FlushPendingLpis(ExecContext ctx, VgicCpu vcpu)
    {
        vcpu.ApList.SpliceTail(vcpu.Overflow);
        ctx.TakeLock(vcpu.ApListLock, Costs.ApListWalk * vcpu.ApList.Count);
        for (var irq = vcpu.ApList.Head; irq is not null;)
        {
            var next = irq.Next;
            if (irq.IsLpi)
            {
                LockIrq(ctx, irq);
                vcpu.ApList.Remove(irq);
                irq.Vcpu = null;
                if (!irq.Mapped) ReleaseLpi(irq);
            }
            irq = next;
        }
    }

    /// <summary>vgic_its_invall: re-read the configuration of every LPI aimed at <paramref name="vcpu"/> (INVALL,
    /// GICR_INVALLR).</summary>
    public void InvallLpis(ExecContext ctx, VgicCpu vcpu)
    {
        foreach (var irq in lpis.Values)
            if (irq.Mapped && irq.TargetVcpu == vcpu) UpdateLpiConfig(ctx, irq, vcpu);
    }

    /// <summary>update_affinity (MOVI, MOVALL, MAPC remap): the LPI's target changes; its pending state goes with it
    /// (a queued one moves at its current owner's next prune; a forwarded one moves to the new vPE's table).</summary>
    public void UpdateLpiAffinity(ExecContext ctx, VgicIrq irq, VgicCpu? target)
    {
        LockIrq(ctx, irq);
        if (irq.DirectInjection) V4Move(ctx, irq, target);
        else irq.TargetVcpu = target;
    }
}
