using IrqBench.Rvic.Abi;
using static IrqBench.Rvic.Abi.RvicReason;

namespace IrqBench.Rvic.Tests;

/// <summary>
/// A small, independent model of rvic.md §2–§4 written from the reference, not from the implementation: plain bool
/// arrays, a List per vCPU for FIFO delivery order, a tuple table for the rVID. It also counts edges (not-pending →
/// pending), cancellations (CLEAR_PENDING of a pending INTID) and deliveries, and the kicks a remote change implies.
/// </summary>
internal sealed class ReferenceModel
{
    public readonly int Cpus, Trusted, Total, MsiBase;
    public readonly bool[] Enabled;
    public readonly bool[,] Pending, Masked, Line;
    public readonly List<int>[] Order;
    public readonly (int Cpu, int Intid)?[] Rvid;
    public readonly int[,] Edges, Cancelled, Delivered;
    public int Kicks;

    public ReferenceModel(int cpus, RvicConfig c)
    {
        Cpus = cpus; Trusted = c.NrTrusted; Total = c.NrTotal; MsiBase = c.MsiBase;
        Enabled = new bool[cpus];
        Pending = new bool[cpus, Total]; Masked = new bool[cpus, Total]; Line = new bool[cpus, Total];
        Edges = new int[cpus, Total]; Cancelled = new int[cpus, Total]; Delivered = new int[cpus, Total];
        Order = Enumerable.Range(0, cpus).Select(_ => new List<int>()).ToArray();
        Rvid = new (int, int)?[Total - Trusted];
        for (int v = 0; v < cpus; v++) for (int i = 0; i < Total; i++) Masked[v, i] = true;
    }

    public bool CanSignal(int cpu) => Enabled[cpu] && Order[cpu].Count > 0;

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
            case RvicFunctions.Acknowledge:
                if (!Enabled[caller]) return (new(Disabled), 0);
                if (Order[caller].Count == 0) return (new(NoInterrupts), 0);
                int head = Order[caller][0];
                Masked[caller, head] = true; Pending[caller, head] = false; Update(caller, head);
                Delivered[caller, head]++;
                return (ok, (ulong)head);
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
        }
        Update(target, intid);
        if (target != caller && before != CanSignal(target)) Kicks++;
        return (ok, result);
    }

    /// <summary>The untrusted side asserts an input: routed if mapped, dropped otherwise; latched while disabled.</summary>
    public void AssertInput(ulong input)
    {
        if (input >= (ulong)Rvid.Length || Rvid[input] is not { } r) return;
        bool before = CanSignal(r.Cpu);
        Raise(r.Cpu, r.Intid);
        if (before != CanSignal(r.Cpu)) Kicks++;
    }

    public void Msi(bool doorbell, uint data)
    {
        if (doorbell && data >= MsiBase) AssertInput(data);
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
        bool deliverable = Pending[cpu, intid] && !Masked[cpu, intid];
        if (deliverable && !Order[cpu].Contains(intid)) Order[cpu].Add(intid);
        if (!deliverable) Order[cpu].Remove(intid);
    }
}
