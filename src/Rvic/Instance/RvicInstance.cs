using IrqBench.Machine.Metrics;
using IrqBench.Rvic.Hypervisor;

namespace IrqBench.Rvic.Instance;

/// <summary>
/// One rVIC instance, the state of one vCPU's paravirtual interrupt controller (rvic.md §3): an enabled flag and, per
/// INTID, a pending and a masked bit. There is no active state: ACKNOWLEDGE masks and un-pends, and the guest's EOI
/// is CLEAR_MASKED (§3.3). INTIDs [0, NrTrusted) are trusted, [NrTrusted, NrTotal) untrusted (§3.2).
/// </summary>
/// <remarks>
/// Delivery order is FIFO, as in KVM (§3.5): <see cref="DeliveryList"/> holds the INTIDs that are pending and unmasked
/// in the order they became so. Unlike KVM, membership does not depend on the enabled flag; the output gates on it
/// instead. ENABLE therefore delivers whatever is pending and unmasked, which removes the lost interrupts around
/// ENABLE of rvic.md §9 quirk 4.
/// </remarks>
public class RvicInstance
{
    private readonly ulong[] pending, masked, lineLevel;
    [ModelBookkeeping] private readonly IrqOrigin[] origins;
    private readonly DeliveryList deliverable;

    public RvicInstance(int nrTrusted, int nrTotal)
    {
        NrTrusted = nrTrusted;
        NrTotal = nrTotal;
        int words = (nrTotal + 63) / 64;
        pending = new ulong[words];
        masked = new ulong[words];
        lineLevel = new ulong[words];
        origins = new IrqOrigin[nrTotal];
        deliverable = new DeliveryList(nrTotal);
        ResetBase();
    }

    public int NrTrusted { get; }
    public int NrTotal { get; }
    public bool Enabled { get; private set; }

    /// <summary>The instance's output, "can signal" (KVM __rvic_can_signal): enabled and something pending and
    /// unmasked. HCR_EL2.VI follows it (§3.4, §3.7).</summary>
    public virtual bool CanSignal => Enabled && !deliverable.IsEmpty;

    /// <summary>How many delivery-list entries the last <see cref="Acknowledge"/> compared (0 for FIFO order, which
    /// takes the head): what a priority-ordered instance is charged for.</summary>
    [field: ModelBookkeeping] public int LastScanLength { get; protected set; }

    public bool IsTrusted(int intid) => intid < NrTrusted;

    /// <summary>Reset (KVM rvic_vcpu_init): disabled, every INTID masked and not pending.</summary>
    public virtual void Reset() => ResetBase();

    private void ResetBase()
    {
        Enabled = false;
        Array.Fill(masked, ~0UL);
        Array.Clear(pending);
        Array.Clear(lineLevel);
        deliverable.Clear();
    }

    public void Enable() => Enabled = true;
    public void Disable() => Enabled = false;

    public bool IsPending(int intid) => Test(pending, intid);

    /// <summary>How many INTIDs are pending (masked or not).</summary>
    public int PendingCount
    {
        get
        {
            int n = 0;
            foreach (ulong w in pending) n += System.Numerics.BitOperations.PopCount(w);
            return n;
        }
    }
    public bool IsMasked(int intid) => Test(masked, intid);

    /// <summary>Where and when the INTID last went from not pending to pending (for its latency).</summary>
    public IrqOrigin Origin(int intid) => origins[intid];

    /// <summary>Sets the pending bit: an edge. An edge on an INTID that is already pending merges into it.</summary>
    public void SetPending(int intid, IrqOrigin origin)
    {
        if (!Test(pending, intid)) origins[intid] = origin;
        Set(pending, intid, true);
        Refresh(intid);
    }

    public void ClearPending(int intid) { Set(pending, intid, false); Refresh(intid); }
    public void SetMasked(int intid) { Set(masked, intid, true); Refresh(intid); }
    public void ClearMasked(int intid) { Set(masked, intid, false); Refresh(intid); }

    /// <summary>The level of a trusted source that has no line callback, as last injected (KVM's line_level).</summary>
    public bool LineLevel(int intid) => Test(lineLevel, intid);
    public void SetLineLevel(int intid, bool high) => Set(lineLevel, intid, high);

    /// <summary>
    /// ACKNOWLEDGE's state change (KVM __rvic_ack): the head of the delivery list becomes masked and not pending.
    /// Returns it, or -1 when nothing is deliverable. The caller reports DISABLED for a disabled instance first.
    /// </summary>
    public virtual int Acknowledge()
    {
        int intid = deliverable.Head;
        if (intid < 0) return -1;
        Set(masked, intid, true);
        Set(pending, intid, false);
        deliverable.Remove(intid);
        return intid;
    }

    /// <summary>The INTID ACKNOWLEDGE would return now, or -1.</summary>
    public virtual int NextDeliverable => Enabled ? deliverable.Head : -1;

    /// <summary>The delivery list: pending and unmasked (and, with priorities, not active) INTIDs in the order they
    /// became so.</summary>
    internal DeliveryList Deliverable => deliverable;

    /// <summary>Whether <paramref name="intid"/> belongs on the delivery list: pending and not masked.</summary>
    protected virtual bool Eligible(int intid) => Test(pending, intid) && !Test(masked, intid);

    /// <summary>Takes <paramref name="intid"/> off pending (ACKNOWLEDGE's un-pend) without masking it.</summary>
    protected void Unpend(int intid) => Set(pending, intid, false);

    protected void Refresh(int intid)
    {
        if (Eligible(intid)) deliverable.Append(intid);
        else deliverable.Remove(intid);
    }

    protected static bool Test(ulong[] map, int i) => (map[i >> 6] & (1UL << (i & 63))) != 0;

    protected static void Set(ulong[] map, int i, bool on)
    {
        if (on) map[i >> 6] |= 1UL << (i & 63);
        else map[i >> 6] &= ~(1UL << (i & 63));
    }
}
