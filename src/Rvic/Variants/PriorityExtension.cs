using IrqBench.Machine.Traps;
using IrqBench.Machine.Vcpus;
using IrqBench.Rvic.Abi;
using IrqBench.Rvic.Hypervisor;
using IrqBench.Rvic.Instance;
using static IrqBench.Rvic.Hypervisor.Reply;

namespace IrqBench.Rvic.Variants;

/// <summary>
/// rvic-prio (rvic.md §12): per-INTID priorities, a priority mask for pseudo-NMI, and an active state with a running
/// priority. ACKNOWLEDGE (same ID) takes the highest-priority deliverable INTID and makes it active instead of masking
/// it; EOI, a new call, deactivates it and drops the running priority. SET_PRIORITY and SET_PRIORITY_MASK are new.
/// </summary>
internal sealed class PriorityExtension : RvicExtension
{
    public override string Name => "priorities";

    public override string TrustedChange =>
        "per vCPU: a priority per INTID, a priority mask, an active bitmap and the active stack (INTID and priority); " +
        "3 calls (SET_PRIORITY, SET_PRIORITY_MASK, EOI); ACKNOWLEDGE and every can-signal recompute scan the delivery " +
        "list for the highest priority instead of taking its head";

    internal override RvicInstance CreateInstance(RvicConfig config) => new PriorityInstance(config.NrTrusted, config.NrTotal);

    internal override FunctionTable CreateCalls(RvicController c) => new("rvic-prio",
    [
        new(RvicPrioFunctions.SetPriority, "SET_PRIORITY", (Vcpu cpu, in HvcArgs a) => SetPriority(c, cpu, a)),
        new(RvicPrioFunctions.SetPriorityMask, "SET_PRIORITY_MASK", (Vcpu cpu, in HvcArgs a) => SetPriorityMask(c, cpu, a.X1)),
        new(RvicPrioFunctions.Eoi, "EOI", (Vcpu cpu, in HvcArgs a) => Eoi(c, cpu, a.X1)),
    ], c.ChargeCallDecode);

    /// <summary>SET_PRIORITY(target, intid, priority): the cross-instance checks of §2.4, then the priority (0..255,
    /// else ERROR_PARAMETER, 2). A change of priority can change the target's can-signal output: kicked as §3.7.</summary>
    private static HvcResult SetPriority(RvicController c, Vcpu cpu, in HvcArgs a)
    {
        if (!c.TryTarget(cpu, a.X1, a.X2, out var target, out var error)) return error;
        if (a.X3 > RvicPrioFunctions.MaxPriority) return Parameter(2);
        var inst = (PriorityInstance)c.BeginUpdate(cpu, target, out bool before);
        inst.SetPriority((int)a.X2, (int)a.X3);
        c.EndUpdate(cpu, target, before);
        return Ok();
    }

    /// <summary>SET_PRIORITY_MASK(mask): own instance; mask 0..255 (else ERROR_PARAMETER, 0); returns the old mask.</summary>
    private static HvcResult SetPriorityMask(RvicController c, Vcpu cpu, ulong mask)
    {
        if (mask > RvicPrioFunctions.MaxPriority) return Parameter(0);
        var inst = (PriorityInstance)c.BeginUpdate(cpu, cpu, out bool before);
        int old = inst.SetPriorityMask((int)mask);
        c.EndUpdate(cpu, cpu, before);
        return Ok((ulong)old);
    }

    /// <summary>EOI(intid): own instance; an INTID out of range or not active is (ERROR_PARAMETER, 0) and changes
    /// nothing.</summary>
    private static HvcResult Eoi(RvicController c, Vcpu cpu, ulong intid)
    {
        if (intid >= (ulong)c.InstanceOf(cpu).NrTotal) return Parameter(0);
        var inst = (PriorityInstance)c.BeginUpdate(cpu, cpu, out bool before);
        bool wasActive = inst.Deactivate((int)intid);
        c.EndUpdate(cpu, cpu, before);
        return wasActive ? Ok() : Parameter(0);
    }
}
