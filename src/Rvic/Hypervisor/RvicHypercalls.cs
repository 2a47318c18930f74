using IrqBench.Machine.Traps;
using IrqBench.Machine.Vcpus;
using IrqBench.Rvic.Abi;

namespace IrqBench.Rvic.Hypervisor;

/// <summary>
/// The rVIC hypercalls, 0xC5000200–0xC500020A (rvic.md §2.4), as KVM's kvm_rvic_handle_hcall serves them but with
/// the architected behaviour where the prototype deviates (§9). Calls on the caller's own instance: VERSION, INFO,
/// ENABLE, DISABLE, ACKNOWLEDGE, RESAMPLE. Calls on any instance of the VM, named by MPIDR: SET_MASKED,
/// CLEAR_MASKED, IS_PENDING, SIGNAL, CLEAR_PENDING.
/// </summary>
internal sealed class RvicHypercalls(RvicController c) : IHvcHandler
{
    private enum Op { SetMasked, ClearMasked, IsPending, Signal, ClearPending }

    public HvcResult Call(Vcpu cpu, in HvcArgs a)
    {
        cpu.ChargeHyp(c.Costs.CallDecode);
        return a.FunctionId switch
        {
            RvicFunctions.Version => Ok(RvicAbi.Version),
            RvicFunctions.Info => Info(a.X1),
            RvicFunctions.Enable => SetEnabled(cpu, true),
            RvicFunctions.Disable => SetEnabled(cpu, false),
            RvicFunctions.SetMasked => OnTarget(cpu, a.X1, a.X2, Op.SetMasked),
            RvicFunctions.ClearMasked => OnTarget(cpu, a.X1, a.X2, Op.ClearMasked),
            RvicFunctions.IsPending => OnTarget(cpu, a.X1, a.X2, Op.IsPending),
            RvicFunctions.Signal => OnTarget(cpu, a.X1, a.X2, Op.Signal),
            RvicFunctions.ClearPending => OnTarget(cpu, a.X1, a.X2, Op.ClearPending),
            RvicFunctions.Acknowledge => Acknowledge(cpu),
            RvicFunctions.Resample => Resample(cpu, a.X1),
            _ => new HvcResult(Smccc.NotSupported),
        };
    }

    private static HvcResult Ok(ulong x1 = 0) => new(RvicStatus.Success.Encode(), x1);
    private static HvcResult Fail(RvicStatus s) => new(s.Encode());

    /// <summary>INFO: key 0 is nr_trusted, key 1 nr_untrusted; any other key is (ERROR_PARAMETER, 0).</summary>
    private HvcResult Info(ulong key) => key switch
    {
        RvicAbi.InfoNrTrusted => Ok((ulong)c.Config.NrTrusted),
        RvicAbi.InfoNrUntrusted => Ok((ulong)c.Config.NrUntrusted),
        _ => Fail(RvicStatus.Parameter(0)),
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
        var target = c.FindTarget(cpu, mpidr);
        if (target is null) return Fail(new RvicStatus(RvicReason.InvalidCpu));
        if (intidArg >= (ulong)c.InstanceOf(target).NrTotal) return Fail(RvicStatus.Parameter(1));
        int intid = (int)intidArg;
        var inst = c.BeginUpdate(cpu, target, out bool before);
        ulong x1 = 0;
        switch (op)
        {
            case Op.SetMasked: inst.SetMasked(intid); break;
            case Op.ClearMasked: inst.ClearMasked(intid); break;
            case Op.IsPending: x1 = inst.IsPending(intid) ? 1UL : 0UL; break;
            case Op.ClearPending: inst.ClearPending(intid); break;
            case Op.Signal when !inst.Enabled: return Fail(new RvicStatus(RvicReason.Disabled));
            case Op.Signal: inst.SetPending(intid, cpu.Vm.Raise(cpu)); break;
        }
        c.EndUpdate(cpu, target, before);
        return Ok(x1);
    }

    /// <summary>ACKNOWLEDGE (KVM __rvic_ack): DISABLED or NO_INTERRUPTS with x1 = 0, or SUCCESS with the head of the
    /// delivery list, now masked and not pending. Always re-syncs the caller's VI.</summary>
    private HvcResult Acknowledge(Vcpu cpu)
    {
        var inst = c.BeginUpdate(cpu, cpu, out bool before);
        int intid = inst.Enabled ? inst.Acknowledge() : -1;
        c.EndUpdate(cpu, cpu, before);
        if (!inst.Enabled) return Fail(new RvicStatus(RvicReason.Disabled));
        if (intid < 0) return Fail(new RvicStatus(RvicReason.NoInterrupts));
        c.RecordDelivery(cpu, inst, intid);
        return Ok((ulong)intid);
    }

    /// <summary>
    /// RESAMPLE (KVM rvic_resample, rvic.md §3.6): own instance, trusted INTIDs only (ERROR_PARAMETER, 0 otherwise).
    /// Re-reads the source's line and pends the INTID again while it is high. The virtual timer's line is the timer's
    /// output; when it is low KVM also deactivates the host timer IRQ. Other trusted INTIDs use the level recorded at
    /// their last injection.
    /// </summary>
    private HvcResult Resample(Vcpu cpu, ulong intidArg)
    {
        if (intidArg >= (ulong)c.InstanceOf(cpu).NrTrusted) return Fail(RvicStatus.Parameter(0));
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
