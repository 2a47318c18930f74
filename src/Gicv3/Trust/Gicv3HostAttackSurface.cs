using IrqBench.Gicv3.CpuInterface;
using IrqBench.Gicv3.Its;
using IrqBench.Gicv3.Vgic;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Gicv3.Trust;

/// <summary>
/// What an untrusted host can do to a guest's GICv3 interrupts. Under every organisation KVM's vgic — the ap_lists,
/// every vgic_irq's state, the distributor's and the ITS's state, and what the flush writes into the list registers
/// at entry — lives in the host kernel; under pKVM the trusted EL2 only saves and restores the list registers the
/// host's vgic computed (flush_hyp_vcpu / sync_hyp_vcpu copy them in and out of the hyp vCPU). So each attack goes
/// through the vgic's own state and code paths, in the host's context: nothing in the design refuses it.
/// <para>An interrupt already in a running vCPU's list register is reached the way the host reaches any running
/// vCPU's state: it makes the vCPU exit (a kick; kvm_arm_halt_guest is the same tool) and changes the state the
/// vCPU re-enters with, which the model does by rewriting the live list register at once, as the active-state
/// accesses do (DECISIONS.md 14, 34).</para>
/// </summary>
internal sealed class Gicv3HostAttackSurface(Gicv3Controller gic, Organisation organisation) : IHostAttackSurface
{
    private KvmVgic V => gic.Vgic;

    /// <summary>The organisation attacked; the GICv3 gives the host the same reach under each.</summary>
    public Organisation Organisation { get; } = organisation;

    /// <summary>vgic_v3_queue_sgi with no guest write behind it: the SGI's latch set and the interrupt queued on the
    /// target's ap_list (or, for a GICv4.1 vSGI, made pending through the ITS), the target kicked.</summary>
    public bool InjectIpi(HostContext host, Vcpu target, int ipi)
    {
        if (ipi is < 0 or > 15) return false;
        V.QueueSgi(host, V.CpuOf(target), (uint)ipi, allowGroup1: true);
        return true;
    }

    /// <summary>kvm_timer_update_irq(level = 1) → kvm_vgic_inject_irq for the virtual timer's PPI, though the guest's
    /// timer has not expired.</summary>
    public bool FireTimer(HostContext host, Vcpu target) =>
        V.Inject(host, V.CpuOf(target).Private[KvmVgic.VtimerPpi], level: true);

    /// <summary>vgic_mmio_write_cenable / _senable on a private interrupt (SGI or PPI) of <paramref name="target"/> or
    /// on an SPI, as the host's vgic does them for the guest; for an LPI, the enable bit of the vgic's cached
    /// configuration (what vgic_its_cmd_handle_inv would read back from the property table the host can write).
    /// Masking also kicks the target, so that its next exit prunes an interrupt already queued.</summary>
    public bool SetTrustedMask(HostContext host, Vcpu target, int intid, bool masked)
    {
        var c = V.CpuOf(target);
        if (Find(c, intid) is not { } irq) return false;
        V.LockIrq(host, irq, V.Costs.MmioPerIrq);
        irq.Enabled = !masked;
        if (masked) V.Kick(host, c);
        else V.QueueIrqUnlock(host, irq);
        return true;
    }

    /// <summary>The device's LPI (or SPI) enabled in the vgic's state, on the vCPU it targets.</summary>
    public bool UnmaskDevice(HostContext host, DeviceIrq irq) =>
        V.GetIrq(null, irq.ChipIrq) is { } i && SetTrustedMask(host, i.TargetVcpu?.Vcpu ?? host.Vm.Vcpus[irq.Affinity.Value], (int)irq.ChipIrq, masked: false);

    /// <summary>
    /// A private interrupt pending on <paramref name="from"/> is dropped there and made pending on the same INTID of
    /// <paramref name="to"/> (SGIs through vgic_v3_queue_sgi). An SPI or LPI gets <paramref name="to"/> as its target
    /// (the state GICD_IROUTER or the ITS collection sets) and leaves <paramref name="from"/>'s list register; the
    /// kick makes <paramref name="from"/> exit, and its prune moves the interrupt to <paramref name="to"/>'s ap_list
    /// and kicks it. False when nothing is pending there.
    /// </summary>
    public bool Retarget(HostContext host, Vcpu from, Vcpu to, int intid)
    {
        var src = V.CpuOf(from);
        var dst = V.CpuOf(to);
        if (Find(src, intid) is not { } irq || !TakeOut(host, src, irq)) return false;
        if (irq.IsPrivate)
        {
            var twin = dst.Private[intid];
            if (twin.IsSgi) V.QueueSgi(host, dst, (uint)intid, allowGroup1: true);
            else MakePending(host, twin);
            return true;
        }
        V.LockIrq(host, irq, V.Costs.MmioPerIrq);
        if (irq.Level) irq.LineLevel = true; else irq.PendingLatch = true; // it stays pending, elsewhere
        if (irq.IsLpi) V.UpdateLpiAffinity(host, irq, dst);
        else
        {
            irq.Mpidr = to.Mpidr.Value & 0xFF_FFFF;
            irq.TargetVcpu = dst;
        }
        V.QueueIrqUnlock(host, irq);
        return true;
    }

    /// <summary>The interrupt's pending state goes (vgic_mmio_write_cpending, and the list register the target
    /// re-enters with no longer pending); the kicked target's prune drops it from its ap_list. False when nothing is
    /// pending there.</summary>
    public bool Drop(HostContext host, Vcpu target, int intid) =>
        Find(V.CpuOf(target), intid) is { } irq && TakeOut(host, V.CpuOf(target), irq);

    /// <summary>
    /// With an ITS: the host makes its vgic handle a MOVI of the device's event to a collection on
    /// <paramref name="to"/> (after a MAPC of a spare collection ID if the guest mapped none there), so that the
    /// device's next MSI is translated there. Through GICv2m: the SPI's routing (GICD_IROUTER's state) names
    /// <paramref name="to"/>.
    /// </summary>
    public bool ChangeRouting(HostContext host, DeviceIrq irq, Vcpu to)
    {
        var dst = V.CpuOf(to);
        if (gic.Its is { } its && irq.ChipIrq >= SpecialIntIds.FirstLpi)
        {
            uint icid = CollectionOn(its, dst.Index);
            if (icid == ItsCollection.NotMapped)
            {
                icid = SpareCollectionId(its);
                if (its.HandleFromHost(host, ItsCommand.Mapc(icid, (uint)dst.Index, valid: true)) != ItsError.None) return false;
            }
            if (its.HandleFromHost(host, ItsCommand.Movi(irq.Device.Value, irq.Vector, icid)) != ItsError.None) return false;
            KickOwner(host, V.GetIrq(null, irq.ChipIrq), dst);
            return true;
        }
        if (V.GetIrq(null, irq.ChipIrq) is not { IsSpi: true } spi) return false;
        V.LockIrq(host, spi, V.Costs.MmioPerIrq);
        spi.Mpidr = to.Mpidr.Value & 0xFF_FFFF;
        spi.TargetVcpu = dst;
        KickOwner(host, spi, dst);
        return true;
    }

    /// <summary>An interrupt still on its old target's ap_list moves at that vCPU's next prune (KVM, too, leaves it
    /// there): the host makes that happen now.</summary>
    private void KickOwner(HostContext host, VgicIrq? irq, VgicCpu dst)
    {
        if (irq?.Vcpu is { } owner && owner != dst) V.Kick(host, owner);
    }

    private VgicIrq? Find(VgicCpu c, int intid) => intid < 0 ? null : V.GetIrq(c, (uint)intid);

    /// <summary>Removes a pending interrupt from <paramref name="c"/>: its software pending state, and the pending
    /// state of the list register holding it (the vCPU is kicked out to re-enter without it). Whether it was
    /// pending.</summary>
    private bool TakeOut(HostContext host, VgicCpu c, VgicIrq irq)
    {
        if (irq.DirectInjection)
        {
            // GICv4.1: irq_set_irqchip_state(PENDING, false) on the vPE's vSGI or vLPI, through the ITS.
            if (!irq.DirectPending || irq.TargetVcpu != c) return false;
            V.V4SetPending(host, irq, false);
            return true;
        }
        V.LockIrq(host, irq, V.Costs.MmioPerIrq);
        bool pending = irq.IsPending;
        if (irq.OnLr && irq.Vcpu == c && KvmVgic.FindLr(c, irq.IntId) is int i and >= 0)
        {
            ulong lr = c.Cpuif.GetLr(i);
            pending |= IchLr.IsPending(lr);
            c.Cpuif.SetLr(i, lr & ~IchLr.StatePending);
        }
        irq.PendingLatch = false;
        if (irq.Level && !irq.Hw) irq.LineLevel = false;
        if (irq.Vcpu is { } owner) V.Kick(host, owner);
        return pending;
    }

    private void MakePending(HostContext host, VgicIrq irq)
    {
        V.LockIrq(host, irq, V.Costs.MmioPerIrq);
        if (!irq.IsPending) irq.Origin = V.Vm.Raise(host);
        irq.PendingLatch = true;
        V.QueueIrqUnlock(host, irq);
    }

    private static uint CollectionOn(VgicIts its, int processor)
    {
        foreach (var c in its.Collections.Values)
            if (c.IsMapped && c.TargetAddress == (uint)processor) return c.Id;
        return ItsCollection.NotMapped;
    }

    private static uint SpareCollectionId(VgicIts its)
    {
        uint id = 0;
        while (its.Collections.ContainsKey(id)) id++;
        return id;
    }
}
