using IrqBench.Machine.Vcpus;

namespace IrqBench.Gicv3.Vgic;

/// <summary>
/// GICv4.1 direct injection (gicv3.md §7, KVM's vgic-v4.c): forwarded vLPIs and vSGIs live in the target vPE's
/// virtual pending table, and the hardware presents them to the vCPU with no exit; a vPE that is not resident (its
/// vCPU halted) gets a doorbell that wakes it. KVM only pays for configuring the physical ITS.
/// </summary>
internal sealed partial class KvmVgic : Machine.Simulation.IEventTarget
{
    /// <summary>The hardware signalling a vPE (the event kind is the vCPU index).</summary>
    public void OnEvent(int kind, long arg) => Vm.NotifyIrqLine(Vm.Host(Vm.Queue.Now), Cpus[kind].Vcpu);

    /// <summary>A vLPI or vSGI becomes pending in its target's virtual pending table (the physical ITS translated a
    /// device write, or KVM asked it to); an enabled one is signalled to the resident vPE, or rings the doorbell of a
    /// non-resident one.</summary>
    public void MakeDirectPending(ExecContext ctx, VgicIrq irq)
    {
        if (irq.DirectPending || irq.TargetVcpu is not { } target) return;
        irq.DirectPending = true;
        irq.Origin = Vm.Raise(ctx);
        target.Vpt.Add(irq);
        SignalDirect(ctx, target, irq);
    }

    private void SignalDirect(ExecContext ctx, VgicCpu target, VgicIrq irq)
    {
        if (!irq.Enabled) return;
        long delay = Costs.V4Delivery;
        if (target.Vcpu.IsHalted)
        {
            V4Doorbells.Value++;
            delay += Vm.Costs.HostIrq + Costs.V4Doorbell; // the doorbell is a physical LPI the host takes
        }
        irq.InjectedAt = ctx.Now + delay; // the GIC signals the vPE (or its doorbell wakes it) then
        Vm.Queue.Post(Math.Max(ctx.Now + delay, Vm.Queue.Now), this, target.Index);
    }

    /// <summary>The pending state leaves the virtual pending table (CLEAR, DISCARD, ICPENDR, unmapping).</summary>
    public void ClearDirectPending(VgicIrq irq)
    {
        if (!irq.DirectPending) return;
        irq.DirectPending = false;
        irq.TargetVcpu?.Vpt.Remove(irq);
    }

    /// <summary>its_prop_update_vlpi: INV/INVALL on a forwarded LPI sends its configuration to the physical ITS.</summary>
    private void V4UpdateConfig(ExecContext ctx, VgicIrq irq)
    {
        ctx.ChargeHyp(Costs.V4ItsCmd);
        if (irq.DirectPending && irq.TargetVcpu is { } t) SignalDirect(ctx, t, irq);
    }

    /// <summary>its_map_vlpi on an affinity change (VMOVI): the pending state moves to the new vPE's table.</summary>
    private void V4Move(ExecContext ctx, VgicIrq irq, VgicCpu? target)
    {
        ctx.ChargeHyp(Costs.V4ItsCmd);
        bool pending = irq.DirectPending;
        ClearDirectPending(irq);
        irq.TargetVcpu = target;
        if (pending) MakeDirectPending(ctx, irq);
    }

    /// <summary>INT or a device MSI on a forwarded LPI through KVM: irq_set_irqchip_state(PENDING) on the physical
    /// ITS; CLEAR likewise.</summary>
    public void V4SetPending(ExecContext ctx, VgicIrq irq, bool pending)
    {
        ctx.ChargeHyp(Costs.V4ItsCmd);
        if (pending) MakeDirectPending(ctx, irq);
        else ClearDirectPending(irq);
    }

    /// <summary>
    /// vgic_v4_configure_vsgis (GICD_CTLR.nASSGIreq changed, GICv4.1 only): with the guest halted, every SGI moves
    /// between software injection and hardware vSGIs, its pending state transferred; vSGIs have no active state.
    /// </summary>
    public void ConfigureVsgis(VgicCpu caller, bool enable)
    {
        HaltGuest(caller);
        var ctx = caller.Vcpu;
        foreach (var c in Cpus)
        {
            for (int s = 0; s < 16; s++)
            {
                var irq = c.Private[s];
                LockIrq(ctx, irq);
                if (enable == irq.DirectInjection) continue;
                irq.DirectInjection = enable;
                if (enable)
                {
                    irq.Active = false;
                    bool pending = irq.PendingLatch;
                    irq.PendingLatch = false;
                    if (pending) MakeDirectPending(ctx, irq);
                }
                else if (irq.DirectPending)
                {
                    ClearDirectPending(irq);
                    irq.PendingLatch = true;
                    QueueIrqUnlock(ctx, irq);
                }
            }
        }
        Dist.NassgiReq = enable;
        ResumeGuest(caller);
    }
}
