using IrqBench.Rvic.Abi;

namespace IrqBench.Rvic.Instance;

/// <summary>
/// An rVIC instance of the rvic-prio variant (rvic.md §12): every INTID has a priority (0 highest, 255 lowest), the
/// instance has a priority mask and a stack of active INTIDs whose top gives the running priority. An INTID is
/// delivered only if its priority is numerically below both the mask and the running priority; ACKNOWLEDGE takes the
/// highest-priority deliverable INTID (the oldest of equal priority: FIFO within a priority), makes it active instead
/// of masking it, and raises the running priority to its priority; EOI deactivates it and drops the running priority
/// to the next active one.
/// </summary>
/// <remarks>
/// The delivery list still holds pending ∧ unmasked INTIDs (now also ∧ not active) in FIFO order; the priority choice
/// is a scan over it, whose length <see cref="RvicInstance.LastScanLength"/> reports for the cost model.
/// </remarks>
public sealed class PriorityInstance : RvicInstance
{
    /// <summary>The running priority with nothing active: above every priority, so only the mask applies.</summary>
    public const int Idle = 0x100;

    private readonly byte[] priority;
    private readonly ulong[] active;
    private readonly int[] activeStack;
    private readonly byte[] activePriority;
    private int activeCount;

    public PriorityInstance(int nrTrusted, int nrTotal) : base(nrTrusted, nrTotal)
    {
        priority = new byte[nrTotal];
        active = new ulong[(nrTotal + 63) / 64];
        activeStack = new int[nrTotal];
        activePriority = new byte[nrTotal];
        ResetPriorities();
    }

    /// <summary>The priority mask (ICC_PMR_EL1's counterpart): only priorities numerically below it are delivered.</summary>
    public int PriorityMask { get; private set; }

    /// <summary>The priority of the most recently acknowledged active INTID, or <see cref="Idle"/>.</summary>
    public int RunningPriority => activeCount == 0 ? Idle : activePriority[activeCount - 1];

    public int PriorityOf(int intid) => priority[intid];
    public bool IsActive(int intid) => Test(active, intid);

    public override void Reset()
    {
        base.Reset();
        ResetPriorities();
    }

    private void ResetPriorities()
    {
        Array.Fill(priority, (byte)RvicPrioFunctions.DefaultPriority);
        Array.Clear(active);
        activeCount = 0;
        PriorityMask = (int)RvicPrioFunctions.ResetMask;
    }

    public override bool CanSignal => Enabled && Best(out _) >= 0;

    public override int NextDeliverable => Enabled ? Best(out _) : -1;

    /// <summary>ACKNOWLEDGE: the best deliverable INTID becomes active and not pending (its mask is left alone); the
    /// running priority becomes its priority.</summary>
    public override int Acknowledge()
    {
        int intid = Best(out int scanned);
        LastScanLength = scanned;
        if (intid < 0) return -1;
        Unpend(intid);
        Set(active, intid, true);
        activeStack[activeCount] = intid;
        activePriority[activeCount] = priority[intid];
        activeCount++;
        Refresh(intid);
        return intid;
    }

    /// <summary>EOI: deactivates <paramref name="intid"/> wherever it is on the active stack (normally the top) and
    /// so drops the running priority to the priority of the newest INTID still active. False if it is not active.</summary>
    public bool Deactivate(int intid)
    {
        if (!Test(active, intid)) return false;
        int at = Array.LastIndexOf(activeStack, intid, activeCount - 1);
        Array.Copy(activeStack, at + 1, activeStack, at, activeCount - at - 1);
        Array.Copy(activePriority, at + 1, activePriority, at, activeCount - at - 1);
        activeCount--;
        Set(active, intid, false);
        Refresh(intid);
        return true;
    }

    public void SetPriority(int intid, int value) => priority[intid] = (byte)value;

    /// <summary>Sets the priority mask and returns the previous one.</summary>
    public int SetPriorityMask(int value)
    {
        int old = PriorityMask;
        PriorityMask = value;
        return old;
    }

    protected override bool Eligible(int intid) => base.Eligible(intid) && !Test(active, intid);

    /// <summary>The first delivery-list entry of the highest priority, if that priority is below the mask and the
    /// running priority; -1 otherwise. <paramref name="scanned"/> is the number of entries compared.</summary>
    private int Best(out int scanned)
    {
        int best = -1, bestPriority = Math.Min(PriorityMask, RunningPriority);
        scanned = 0;
        for (int i = Deliverable.Head; i >= 0; i = Deliverable.NextOf(i))
        {
            scanned++;
            if (priority[i] < bestPriority) { best = i; bestPriority = priority[i]; }
        }
        return best;
    }
}
