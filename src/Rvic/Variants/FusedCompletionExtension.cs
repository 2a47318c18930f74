using IrqBench.Machine.Traps;
using IrqBench.Machine.Vcpus;
using IrqBench.Rvic.Abi;
using IrqBench.Rvic.Hypervisor;
using static IrqBench.Rvic.Hypervisor.Reply;

namespace IrqBench.Rvic.Variants;

/// <summary>
/// rvic-fused, a design of IrqBench's own, not from the rVIC sources (rvic.md §15): COMPLETE_ACKNOWLEDGE(intid)
/// clears the mask ACKNOWLEDGE put on the caller's own <paramref name="intid"/> and acknowledges the next deliverable
/// INTID, under one hold of the instance lock, in one hypercall. A guest draining several interrupts pays one trap per
/// interrupt instead of two.
/// </summary>
internal sealed class FusedCompletionExtension : RvicExtension
{
    public override string Name => "fused completion (IrqBench's own design)";

    public override string TrustedChange =>
        "no state; 1 call (COMPLETE_ACKNOWLEDGE) that runs CLEAR_MASKED(self) and ACKNOWLEDGE, existing code, under " +
        "one lock hold; no host call, no path gets longer";

    internal override FunctionTable CreateCalls(RvicController c) => new("rvic-fused",
    [
        new(RvicFusedFunctions.CompleteAcknowledge, "COMPLETE_ACKNOWLEDGE", (Vcpu cpu, in HvcArgs a) => CompleteAcknowledge(c, cpu, a.X1)),
    ], c.ChargeCallDecode);

    /// <summary>An INTID out of range is (ERROR_PARAMETER, 0) and changes nothing. Otherwise the INTID is unmasked
    /// (on a disabled instance too, as CLEAR_MASKED) and the result is ACKNOWLEDGE's: DISABLED, NO_INTERRUPTS, or
    /// SUCCESS with the next INTID.</summary>
    private static HvcResult CompleteAcknowledge(RvicController c, Vcpu cpu, ulong intid)
    {
        if (intid >= (ulong)c.InstanceOf(cpu).NrTotal) return Parameter(0);
        var inst = c.BeginUpdate(cpu, cpu, out bool before, changes: 2);
        inst.ClearMasked((int)intid);
        int next = inst.Enabled ? inst.Acknowledge() : -1;
        c.EndUpdate(cpu, cpu, before);
        return c.AcknowledgeResult(cpu, inst, next);
    }
}
