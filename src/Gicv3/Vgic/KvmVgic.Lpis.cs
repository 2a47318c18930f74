namespace IrqBench.Gicv3.Vgic;

internal sealed partial class KvmVgic
{
    /// <summary>The VM's LPIs by INTID (KVM's dist->lpi_xa): created by the ITS when it maps an event.</summary>
    private readonly Dictionary<uint, VgicIrq> lpis = new();

    public IReadOnlyDictionary<uint, VgicIrq> Lpis => lpis;

    private VgicIrq? GetLpi(uint intid) => lpis.TryGetValue(intid, out var irq) && irq.Mapped ? irq : null;

    /// <summary>The last reference to an unmapped LPI went with its ap_list entry (vgic_put_irq).</summary>
    private void ReleaseLpi(VgicIrq irq)
    {
        if (lpis.TryGetValue(irq.IntId, out var cur) && cur == irq) lpis.Remove(irq.IntId);
    }
}
