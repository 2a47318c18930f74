using IrqBench.Machine;
using IrqBench.Machine.Traps;
using IrqBench.Machine.Vcpus;
using IrqBench.Rvic.Abi;

namespace IrqBench.Rvic.Guest;

/// <summary>The guest's rvic_* / rvid_* helpers (irq-rvic.h): one SMCCC 1.1 HVC each, arguments in x1..x3, the status
/// back in x0 and one value in x1 (rvic.md §2.1).</summary>
public static class RvicCalls
{
    private static RvicStatus Call(Vcpu cpu, uint fn, out ulong x1, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0)
    {
        var r = cpu.Hvc(new HvcArgs(fn, a1, a2, a3));
        x1 = r.X1;
        return RvicStatus.Decode(r.X0);
    }

    private static RvicStatus Call(Vcpu cpu, uint fn, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0) => Call(cpu, fn, out _, a1, a2, a3);

    public static RvicStatus Version(Vcpu cpu, out ulong version) => Call(cpu, RvicFunctions.Version, out version);
    public static RvicStatus Info(Vcpu cpu, ulong key, out ulong value) => Call(cpu, RvicFunctions.Info, out value, key);
    public static RvicStatus Enable(Vcpu cpu) => Call(cpu, RvicFunctions.Enable);
    public static RvicStatus Disable(Vcpu cpu) => Call(cpu, RvicFunctions.Disable);
    public static RvicStatus SetMasked(Vcpu cpu, Mpidr target, uint intid) => Call(cpu, RvicFunctions.SetMasked, target.Value, intid);
    public static RvicStatus ClearMasked(Vcpu cpu, Mpidr target, uint intid) => Call(cpu, RvicFunctions.ClearMasked, target.Value, intid);
    public static RvicStatus Signal(Vcpu cpu, Mpidr target, uint intid) => Call(cpu, RvicFunctions.Signal, target.Value, intid);
    public static RvicStatus ClearPending(Vcpu cpu, Mpidr target, uint intid) => Call(cpu, RvicFunctions.ClearPending, target.Value, intid);
    public static RvicStatus Resample(Vcpu cpu, uint intid) => Call(cpu, RvicFunctions.Resample, intid);

    public static RvicStatus IsPending(Vcpu cpu, Mpidr target, uint intid, out bool pending)
    {
        var s = Call(cpu, RvicFunctions.IsPending, out ulong v, target.Value, intid);
        pending = v != 0;
        return s;
    }

    public static RvicStatus Acknowledge(Vcpu cpu, out uint intid)
    {
        var s = Call(cpu, RvicFunctions.Acknowledge, out ulong v);
        intid = (uint)v;
        return s;
    }

    public static RvicStatus RvidVersion(Vcpu cpu, out ulong version) => Call(cpu, RvidFunctions.Version, out version);
    public static RvicStatus Map(Vcpu cpu, uint input, Mpidr target, uint intid) => Call(cpu, RvidFunctions.Map, input, target.Value, intid);
    public static RvicStatus Unmap(Vcpu cpu, uint input) => Call(cpu, RvidFunctions.Unmap, input);

    // ---- the variants' calls (rvic.md §12–§15) ---------------------------------------------------------------------

    public static RvicStatus SetPriority(Vcpu cpu, Mpidr target, uint intid, uint priority) =>
        Call(cpu, RvicPrioFunctions.SetPriority, target.Value, intid, priority);
    public static RvicStatus SetPriorityMask(Vcpu cpu, uint mask) => Call(cpu, RvicPrioFunctions.SetPriorityMask, mask);
    public static RvicStatus PrioEoi(Vcpu cpu, uint intid) => Call(cpu, RvicPrioFunctions.Eoi, intid);
    public static RvicStatus RvidResample(Vcpu cpu, uint input) => Call(cpu, RvidLevelFunctions.Resample, input);
    public static RvicStatus RvidMsiInfo(Vcpu cpu, ulong key, out ulong value) => Call(cpu, RvidMsiFunctions.Info, out value, key);

    public static RvicStatus CompleteAcknowledge(Vcpu cpu, uint completed, out uint next)
    {
        var s = Call(cpu, RvicFusedFunctions.CompleteAcknowledge, out ulong v, completed);
        next = (uint)v;
        return s;
    }
}
