using IrqBench.Machine.Costs;
using IrqBench.Machine.Traps;

namespace IrqBench.Machine.Vcpus;

/// <summary>The architectural accesses guest code performs on this vCPU. Each returns at once with its result; the
/// vCPU's cursor has advanced by the access's cost (trap, exit and entry path, handler work).</summary>
public sealed partial class Vcpu
{
    /// <summary>A load from guest physical <paramref name="address"/>: RAM is read directly; anything else is a
    /// stage-2 data abort routed to the device region that claims the address (or to the VMM, which reads as zero,
    /// when none does).</summary>
    public ulong MmioRead(ulong address, int size)
    {
        CheckAccessSize(size);
        if (Vm.Memory.IsRam(address)) return Vm.Memory.Read(address, size);
        var region = Vm.Router.FindMmio(address);
        Placement p = region?.Placement ?? Placement.VmmUser;
        EnterMmio(p, region);
        ulong value = 0;
        if (region is null) m.MmioUnclaimed.Value++;
        else value = region.Handler.Read(this, address - region.Base, size);
        EndExit(p);
        return value;
    }

    public void MmioWrite(ulong address, int size, ulong value)
    {
        CheckAccessSize(size);
        if (Vm.Memory.IsRam(address)) { Vm.Memory.Write(address, size, value); return; }
        var region = Vm.Router.FindMmio(address);
        Placement p = region?.Placement ?? Placement.VmmUser;
        EnterMmio(p, region);
        if (region is null) m.MmioUnclaimed.Value++;
        else region.Handler.Write(this, address - region.Base, size, value);
        EndExit(p);
    }

    private void EnterMmio(Placement p, TrapRouter.MmioRegion? region)
    {
        BeginExit(ExitReason.Mmio, p, region?.TraceLabel ?? "DABT (VMM)");
        ChargeHyp(costs.MmioAbortDecode);
        if (p == Placement.VmmUser) ChargeHyp(costs.VmmMmioHandler);
    }

    /// <summary>MRS: trapped to its handler, or served by hardware, as the controller registered it. An encoding
    /// nobody registered is UNDEFINED at EL1 in this model (the guest model has a bug).</summary>
    public ulong SysregRead(SysReg reg)
    {
        var e = Vm.Router.FindSysreg(reg) ?? throw new InvalidOperationException($"{Id}: MRS {reg}: no such system register in this VM");
        if (!e.Trapped) return e.Handler.Read(this, reg);
        BeginExit(ExitReason.Sysreg, e.Placement, e.TraceLabel);
        ChargeHyp(costs.SysregTrapDecode);
        ulong v = e.Handler.Read(this, reg);
        EndExit(e.Placement);
        return v;
    }

    /// <summary>MSR, as <see cref="SysregRead"/>.</summary>
    public void SysregWrite(SysReg reg, ulong value)
    {
        var e = Vm.Router.FindSysreg(reg) ?? throw new InvalidOperationException($"{Id}: MSR {reg}: no such system register in this VM");
        if (!e.Trapped) { e.Handler.Write(this, reg, value); return; }
        BeginExit(ExitReason.Sysreg, e.Placement, e.TraceLabel);
        ChargeHyp(costs.SysregTrapDecode);
        e.Handler.Write(this, reg, value);
        EndExit(e.Placement);
    }

    /// <summary>HVC #0: always an exit; dispatched on the SMCCC function ID in x0. An ID nobody serves returns
    /// SMCCC NOT_SUPPORTED (-1), as KVM's kvm_hvc_call_handler does.</summary>
    public HvcResult Hvc(in HvcArgs args)
    {
        var range = Vm.Router.FindHvc(args.FunctionId);
        Placement p = range?.Placement ?? Placement.HostKernel;
        BeginExit(ExitReason.Hvc, p, "HVC64");
        ChargeHyp(costs.SmcccDispatch);
        var result = range is null ? new HvcResult(Smccc.NotSupported) : range.Handler.Call(this, args);
        EndExit(p);
        return result;
    }

    private void CheckAccessSize(int size)
    {
        if (size is not (1 or 2 or 4 or 8))
            throw new ArgumentOutOfRangeException(nameof(size), size, "an arm64 load/store is 1, 2, 4 or 8 bytes");
    }
}
