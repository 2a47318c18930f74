using IrqBench.Rvic.Abi;
using IrqBench.Rvic.Variants;
using static IrqBench.Rvic.Abi.RvicReason;

namespace IrqBench.Rvic.Tests;

/// <summary>
/// A small, independent model of rvic.md §2–§4 written from the reference, not from the implementation: plain bool
/// arrays, a List per vCPU for FIFO delivery order, a tuple table for the rVID. It also counts edges (not-pending →
/// pending), cancellations (CLEAR_PENDING of a pending INTID) and deliveries, and the kicks a remote change implies.
/// The variants' rules (rvic.md §12–§15) are written here from their sections too: priorities with an active stack,
/// rVID input lines, the MSI frame's INFO, the fused completion.
/// </summary>
internal sealed class ReferenceModel
{
    public readonly int Cpus, Trusted, Total, MsiBase, MsiCount;
    public readonly bool Prio, Level, Frame, Fused;
    public readonly bool[] Enabled;
    public readonly bool[,] Pending, Masked, Line, Active;
    public readonly int[,] Priority;
    public readonly int[] Pmr;
    public readonly List<(int Intid, int Priority)>[] ActiveStack;
    public readonly bool[] InputLine;
    public readonly List<int>[] Order;
    public readonly (int Cpu, int Intid)?[] Rvid;
    public readonly int[,] Edges, Cancelled, Delivered;
    public int Kicks;

    public ReferenceModel(int cpus, RvicConfig c, RvicVariant? variant = null)
    {
        Cpus = cpus; Trusted = c.NrTrusted; Total = c.NrTotal; MsiBase = c.MsiBase; MsiCount = c.MsiCount;
        var v = variant ?? RvicVariant.Base;
        Prio = v.Has<PriorityExtension>(); Level = v.Has<LevelInputExtension>(); Frame = v.Has<MsiFrameExtension>(); Fused = v.Has<FusedCompletionExtension>();
        Enabled = new bool[cpus];
        Pending = new bool[cpus, Total]; Masked = new bool[cpus, Total]; Line = new bool[cpus, Total]; Active = new bool[cpus, Total];
        Priority = new int[cpus, Total];
        Pmr = Enumerable.Repeat(0xFF, cpus).ToArray();
        ActiveStack = Enumerable.Range(0, cpus).Select(_ => new List<(int, int)>()).ToArray();
        Edges = new int[cpus, Total]; Cancelled = new int[cpus, Total]; Delivered = new int[cpus, Total];
        Order = Enumerable.Range(0, cpus).Select(_ => new List<int>()).ToArray();
        Rvid = new (int, int)?[Total - Trusted];
        InputLine = new bool[Total - Trusted];
        for (int cpu = 0; cpu < cpus; cpu++) for (int i = 0; i < Total; i++) { Masked[cpu, i] = true; Priority[cpu, i] = 0xA0; }
    }

    public bool CanSignal(int cpu) => Enabled[cpu] && Next(cpu) >= 0;

    /// <summary>What ACKNOWLEDGE would take ignoring the enabled flag: FIFO head; with priorities the oldest of the
    /// highest priority, if that priority is below the mask and the running priority.</summary>
    public int Next(int cpu)
    {
        if (!Prio) return Order[cpu].Count > 0 ? Order[cpu][0] : -1;
        int best = -1, limit = Math.Min(Pmr[cpu], ActiveStack[cpu].Count == 0 ? 0x100 : ActiveStack[cpu][^1].Priority);
        foreach (int i in Order[cpu])
            if (Priority[cpu, i] < limit) { best = i; limit = Priority[cpu, i]; }
        return best;
    }

    private (RvicStatus, ulong) Acknowledge(int caller)
    {
        if (!Enabled[caller]) return (new(Disabled), 0);
        int head = Next(caller);
        if (head < 0) return (new(NoInterrupts), 0);
        Pending[caller, head] = false;
        if (Prio) { Active[caller, head] = true; ActiveStack[caller].Add((head, Priority[caller, head])); }
        else Masked[caller, head] = true;
        Update(caller, head);
        Delivered[caller, head]++;
        return (RvicStatus.Success, (ulong)head);
    }

    /// <summary>A hypercall from <paramref name="caller"/>; <paramref name="target"/> is the vCPU the MPIDR names, or -1.</summary>
    public (RvicStatus, ulong) Call(int caller, uint fn, int target, ulong x1, ulong x2, ulong x3)
    {
        var ok = RvicStatus.Success;
        switch (fn)
        {
            case RvicFunctions.Version: return (ok, 3);
            case RvicFunctions.Info:
                return x1 switch { 0 => (ok, (ulong)Trusted), 1 => (ok, (ulong)(Total - Trusted)), _ => (RvicStatus.Parameter(0), 0) };
            case RvicFunctions.Enable: Enabled[caller] = true; return (ok, 0);
            case RvicFunctions.Disable: Enabled[caller] = false; return (ok, 0);
            case RvicFunctions.Acknowledge: return Acknowledge(caller);
            case RvicPrioFunctions.SetPriorityMask when Prio:
                if (x1 > 0xFF) return (RvicStatus.Parameter(0), 0);
                ulong old = (ulong)Pmr[caller];
                Pmr[caller] = (int)x1;
                return (ok, old);
            case RvicPrioFunctions.Eoi when Prio:
                if (x1 >= (ulong)Total || !Active[caller, (int)x1]) return (RvicStatus.Parameter(0), 0);
                ActiveStack[caller].RemoveAt(ActiveStack[caller].FindLastIndex(e => e.Intid == (int)x1));
                Active[caller, (int)x1] = false;
                Update(caller, (int)x1);
                return (ok, 0);
            case RvidLevelFunctions.Resample when Level:
                if (x1 >= (ulong)Rvid.Length) return (RvicStatus.Parameter(0), 0);
                if (InputLine[x1]) RouteFrom(caller, x1);
                return (ok, 0);
            case RvidMsiFunctions.Info when Frame:
                return x1 switch
                {
                    0 => (ok, MsiFrameExtension.FrameBase), 1 => (ok, (ulong)MsiBase), 2 => (ok, (ulong)MsiCount),
                    _ => (RvicStatus.Parameter(0), 0),
                };
            case RvicFusedFunctions.CompleteAcknowledge when Fused:
                if (x1 >= (ulong)Total) return (RvicStatus.Parameter(0), 0);
                Masked[caller, (int)x1] = false;
                Update(caller, (int)x1);
                return Acknowledge(caller);
            case RvicPrioFunctions.SetPriorityMask or RvicPrioFunctions.Eoi or RvidLevelFunctions.Resample
                or RvidMsiFunctions.Info or RvicFusedFunctions.CompleteAcknowledge:
                return (new RvicStatus((RvicReason)0xFF, 0xFF), 0); // Smccc.NotSupported decodes so: not this variant's call
            case RvicFunctions.Resample:
                if (x1 >= (ulong)Trusted) return (RvicStatus.Parameter(0), 0);
                if ((int)x1 == RvicConfig.TimerIntid) Line[caller, (int)x1] = false; // the test never arms the timer: its line is low
                if (Line[caller, (int)x1]) Raise(caller, (int)x1);
                return (ok, 0);
            case RvidFunctions.Version: return (ok, 3);
            case RvidFunctions.Map:
                if (x1 >= (ulong)Rvid.Length) return (RvicStatus.Parameter(0), 0);
                if (target < 0) return (RvicStatus.Parameter(1), 0);
                if (x3 < (ulong)Trusted || x3 >= (ulong)Total) return (RvicStatus.Parameter(2), 0);
                Rvid[x1] = (target, (int)x3);
                return (ok, 0);
            case RvidFunctions.Unmap:
                if (x1 >= (ulong)Rvid.Length) return (RvicStatus.Parameter(0), 0);
                Rvid[x1] = null;
                return (ok, 0);
        }
        // Cross-instance calls: target, then INTID, then (SIGNAL only) enabled.
        if (target < 0) return (new(InvalidCpu), 0);
        if (x2 >= (ulong)Total) return (RvicStatus.Parameter(1), 0);
        int intid = (int)x2;
        bool before = CanSignal(target);
        ulong result = 0;
        switch (fn)
        {
            case RvicFunctions.SetMasked: Masked[target, intid] = true; break;
            case RvicFunctions.ClearMasked: Masked[target, intid] = false; break;
            case RvicFunctions.IsPending: result = Pending[target, intid] ? 1UL : 0UL; break;
            case RvicFunctions.ClearPending:
                if (Pending[target, intid]) Cancelled[target, intid]++;
                Pending[target, intid] = false;
                break;
            case RvicFunctions.Signal:
                if (!Enabled[target]) return (new(Disabled), 0);
                Raise(target, intid);
                break;
            case RvicPrioFunctions.SetPriority when Prio:
                if (x3 > 0xFF) return (RvicStatus.Parameter(2), 0);
                Priority[target, intid] = (int)x3;
                break;
            case RvicPrioFunctions.SetPriority:
                return (new RvicStatus((RvicReason)0xFF, 0xFF), 0);
        }
        Update(target, intid);
        if (target != caller && before != CanSignal(target)) Kicks++;
        return (ok, result);
    }

    /// <summary>The untrusted side asserts an input: routed if mapped, dropped otherwise; latched while disabled.</summary>
    public void AssertInput(ulong input) => RouteFrom(-1, input);

    /// <summary>An input routed from <paramref name="caller"/> (-1: the host): a kick unless the target is the caller.</summary>
    public void RouteFrom(int caller, ulong input)
    {
        if (input >= (ulong)Rvid.Length || Rvid[input] is not { } r) return;
        bool before = CanSignal(r.Cpu);
        Raise(r.Cpu, r.Intid);
        if (r.Cpu != caller && before != CanSignal(r.Cpu)) Kicks++;
    }

    public void Msi(bool doorbell, uint data)
    {
        if (doorbell && data >= MsiBase) AssertInput(data);
    }

    /// <summary>rvic-msi: a guest store to the frame's SETINPUT register on <paramref name="cpu"/>.</summary>
    public void FrameWrite(int cpu, uint data)
    {
        if (Frame && data >= MsiBase && data < MsiBase + MsiCount) RouteFrom(cpu, data);
    }

    /// <summary>rvic-level: the host sets an input's line; a high line is routed as an edge.</summary>
    public void SetInputLevel(ulong input, bool high)
    {
        if (!Level || input >= (ulong)Rvid.Length) return;
        InputLine[input] = high;
        if (high) AssertInput(input);
    }

    public void TimerFires(int cpu)
    {
        Line[cpu, RvicConfig.TimerIntid] = true;
        Raise(cpu, (int)RvicConfig.TimerIntid);
    }

    private void Raise(int cpu, int intid)
    {
        if (!Pending[cpu, intid]) Edges[cpu, intid]++;
        Pending[cpu, intid] = true;
        Update(cpu, intid);
    }

    private void Update(int cpu, int intid)
    {
        bool deliverable = Pending[cpu, intid] && !Masked[cpu, intid] && !Active[cpu, intid];
        if (deliverable && !Order[cpu].Contains(intid)) Order[cpu].Add(intid);
        if (!deliverable) Order[cpu].Remove(intid);
    }
}
