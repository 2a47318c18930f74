using IrqBench.Gicv3.Vgic;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Gicv3.Its;

internal sealed partial class VgicIts
{
    /// <summary>How a (DeviceID, EventID) translation ended (vgic_its_resolve_lpi).</summary>
    internal enum Translation { Ok, Unmapped, Busy }

    private static ulong CacheKey(uint device, uint eventId) => (ulong)device << IdBits | eventId;

    /// <summary>
    /// A device's write of EventID to GITS_TRANSLATER, with its DeviceID from the bus (KVM_SIGNAL_MSI with
    /// KVM_MSI_VALID_DEVID, or an irqfd route): the translation cache first (no its_lock: the path KVM takes in
    /// atomic context), else the slow path under the its_lock, which fills the cache. A translation that fails
    /// drops the MSI ("blocked").
    /// </summary>
    public void InjectMsi(ExecContext ctx, uint device, uint eventId)
    {
        ctx.ChargeHyp(Costs.ItsCacheLookup);
        if (Enabled && cache.TryGetValue(CacheKey(device, eventId), out var irq))
        {
            CacheHits.Value++;
            Trigger(ctx, irq);
            return;
        }
        CacheMisses.Value++;
        ctx.TakeLock(itsLock, 0);
        if (Resolve(ctx, device, eventId, out irq) == Translation.Ok) Trigger(ctx, irq!);
        else MsisDropped.Value++;
    }

    /// <summary>vgic_its_resolve_lpi: the ITS must be enabled, the event mapped to an ITE in a mapped collection, and
    /// the target redistributor must have LPIs enabled. A success is cached (never for a forwarded vLPI).</summary>
    internal Translation Resolve(ExecContext ctx, uint device, uint eventId, out VgicIrq? irq)
    {
        irq = null;
        if (!Enabled) return Translation.Busy;
        if (FindIte(ctx, device, eventId) is not { } ite || Target(ite.Collection) is not { } vcpu) return Translation.Unmapped;
        if (!vcpu.EnableLpis) return Translation.Busy;
        irq = ite.Irq;
        if (!irq.DirectInjection) cache[CacheKey(device, eventId)] = irq;
        return Translation.Ok;
    }

    /// <summary>vgic_its_trigger_msi: set the LPI pending and queue it (a forwarded vLPI is made pending in the
    /// physical ITS instead).</summary>
    private void Trigger(ExecContext ctx, VgicIrq irq)
    {
        if (irq.DirectInjection) { vgic.V4SetPending(ctx, irq, true); return; }
        vgic.LockIrq(ctx, irq);
        if (!irq.IsPending) irq.Origin = ctx.Vm.Raise(ctx);
        irq.PendingLatch = true;
        vgic.QueueIrqUnlock(ctx, irq);
    }

    /// <summary>
    /// GICv4.1: a passthrough device's write to the doorbell is translated by the physical ITS, from the mappings
    /// KVM mirrored into it, straight into the vPE's pending table: no host software at all.
    /// </summary>
    public void TranslateInHardware(ExecContext ctx, uint device, uint eventId)
    {
        if (!Enabled || !devices.TryGetValue(device, out var d) || !d.Ites.TryGetValue(eventId, out var ite)
            || Target(ite.Collection) is not { EnableLpis: true })
        {
            MsisDropped.Value++;
            return;
        }
        vgic.MakeDirectPending(ctx, ite.Irq);
    }

    /// <summary>vgic_its_invalidate_cache: DISCARD, MOVI, MAPD, MAPC unmap, MOVALL, disabling the ITS, a BASER made
    /// invalid, and a redistributor's EnableLPIs going 1 → 0.</summary>
    public void InvalidateCache() => cache.Clear();
}
