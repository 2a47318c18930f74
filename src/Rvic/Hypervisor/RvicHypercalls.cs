using IrqBench.Machine.Traps;
using IrqBench.Machine.Vcpus;
using IrqBench.Rvic.Abi;
using static IrqBench.Rvic.Hypervisor.Reply;

namespace IrqBench.Rvic.Hypervisor;

/// <summary>
/// The rVIC hypercalls, 0xC5000200–0xC500020A (rvic.md §2.4), as KVM's kvm_rvic_handle_hcall serves them but with
/// the architected behaviour where the prototype deviates (§9). Calls on the caller's own instance: VERSION, INFO,
/// ENABLE, DISABLE, ACKNOWLEDGE, RESAMPLE. Calls on any instance of the VM, named by MPIDR: SET_MASKED,
/// CLEAR_MASKED, IS_PENDING, SIGNAL, CLEAR_PENDING.
/// </summary>
internal sealed class RvicHypercalls(RvicController c)
{
    private enum Op { SetMasked, ClearMasked, IsPending, Signal, ClearPending }

    public FunctionTable Table() => new("rvic",
    [
        new(RvicFunctions.Version, "VERSION", (Vcpu _, in HvcArgs _) => Ok(RvicAbi.Version)),
        new(RvicFunctions.Info, "INFO", (Vcpu _, in HvcArgs a) => Info(a.X1)),
        new(RvicFunctions.Enable, "ENABLE", (Vcpu cpu, in HvcArgs _) => SetEnabled(cpu, true)),
        new(RvicFunctions.Disable, "DISABLE", (Vcpu cpu, in HvcArgs _) => SetEnabled(cpu, false)),
        new(RvicFunctions.SetMasked, "SET_MASKED", (Vcpu cpu, in HvcArgs a) => OnTarget(cpu, a.X1, a.X2, Op.SetMasked)),
        new(RvicFunctions.ClearMasked, "CLEAR_MASKED", (Vcpu cpu, in HvcArgs a) => OnTarget(cpu, a.X1, a.X2, Op.ClearMasked)),
        new(RvicFunctions.IsPending, "IS_PENDING", (Vcpu cpu, in HvcArgs a) => OnTarget(cpu, a.X1, a.X2, Op.IsPending)),
        new(RvicFunctions.Signal, "SIGNAL", (Vcpu cpu, in HvcArgs a) => OnTarget(cpu, a.X1, a.X2, Op.Signal)),
        new(RvicFunctions.ClearPending, "CLEAR_PENDING", (Vcpu cpu, in HvcArgs a) => OnTarget(cpu, a.X1, a.X2, Op.ClearPending)),
        new(RvicFunctions.Acknowledge, "ACKNOWLEDGE", (Vcpu cpu, in HvcArgs _) => Acknowledge(cpu)),
        new(RvicFunctions.Resample, "RESAMPLE", (Vcpu cpu, in HvcArgs a) => Resample(cpu, a.X1)),
    ], c.ChargeCallDecode);

    /// <summary>INFO: key 0 is nr_trusted, key 1 nr_untrusted; any other key is (ERROR_PARAMETER, 0).</summary>
    private HvcResult Info(ulong key) => key switch
    {
        RvicAbi.InfoNrTrusted => Ok((ulong)c.Config.NrTrusted),
        RvicAbi.InfoNrUntrusted => Ok((ulong)c.Config.NrUntrusted),
        _ => Parameter(0),
    };

    private HvcResult SetEnabled(Vcpu cpu, bool enable)
    {
        var inst = c.BeginUpdate(cpu, cpu, out bool before);
        if (enable) inst.Enable(); else inst.Disable();
        c.EndUpdate(cpu, cpu, before);
        return Ok();
    }

    /// <summary>
    /// The cross-instance calls. KVM's order of checks (rvic.md §2.4): the target MPIDR first (INVALID_CPU, 0), then
    /// the INTID against the target's nr_total (ERROR_PARAMETER, 1), trusted and untrusted alike. Only SIGNAL looks at
    /// the enabled flag (DISABLED, 0).
    /// </summary>
    private HvcResult OnTarget(Vcpu cpu, ulong mpidr, ulong intidArg, Op op)
    {
        if (!c.TryTarget(cpu, mpidr, intidArg, out var target, out var error)) return error;
        int intid = (int)intidArg;
        var inst = c.BeginUpdate(cpu, target, out bool before);
        ulong x1 = 0;
        switch (op)
        {
            case Op.SetMasked: inst.SetMasked(intid); break;
            case Op.ClearMasked: inst.ClearMasked(intid); break;
            case Op.IsPending: x1 = inst.IsPending(intid) ? 1UL : 0UL; break;
            case Op.ClearPending: inst.ClearPending(intid); break;
            case Op.Signal when !inst.Enabled: return Fail(RvicReason.Disabled);
            case Op.Signal: inst.SetPending(intid, cpu.Vm.Raise(cpu)); break;
        }
        c.EndUpdate(cpu, target, before);
        return Ok(x1);
    }

    /// <summary>ACKNOWLEDGE (KVM __rvic_ack): DISABLED or NO_INTERRUPTS with x1 = 0, or SUCCESS with the INTID the
    /// instance delivers next (base: the head of the delivery list, now masked and not pending). Always re-syncs the
    /// caller's VI.</summary>
    private HvcResult Acknowledge(Vcpu cpu)
    {
        var inst = c.BeginUpdate(cpu, cpu, out bool before);
        int intid = inst.Enabled ? inst.Acknowledge() : -1;
        c.EndUpdate(cpu, cpu, before);
        return c.AcknowledgeResult(cpu, inst, intid);
    }

    /// <summary>
    /// RESAMPLE (KVM rvic_resample, rvic.md §3.6): own instance, trusted INTIDs only (ERROR_PARAMETER, 0 otherwise).
    /// Re-reads the source's line and pends the INTID again while it is high. The virtual timer's line is the timer's
    /// output; when it is low KVM also deactivates the host timer IRQ. Other trusted INTIDs use the level recorded at
    /// their last injection.
    /// </summary>
    private HvcResult Resample(Vcpu cpu, ulong intidArg)
    {
        if (intidArg >= (ulong)c.InstanceOf(cpu).NrTrusted) return Parameter(0);
        int intid = (int)intidArg;
        var inst = c.BeginUpdate(cpu, cpu, out bool before);
        bool high;
        if (intid == RvicConfig.TimerIntid)
        {
            cpu.ChargeHyp(c.Costs.TimerLineRead);
            high = cpu.Timer.Asserted;
            inst.SetLineLevel(intid, high);
            if (!high) cpu.ChargeHyp(c.Costs.TimerDeactivate);
        }
        else high = inst.LineLevel(intid);
        if (high) inst.SetPending(intid, cpu.Vm.Raise(cpu));
        c.EndUpdate(cpu, cpu, before);
        return Ok();
    }
}
