using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Locks;
using IrqBench.Machine.Metrics;
using IrqBench.Machine.Traps;
using IrqBench.Machine.Vcpus;
using IrqBench.Rvic.Abi;
using IrqBench.Rvic.Instance;
using IrqBench.Rvic.Rvid;
using IrqBench.Rvic.Variants;
using static IrqBench.Rvic.Hypervisor.Reply;

namespace IrqBench.Rvic.Hypervisor;

/// <summary>
/// The hypervisor side of the rVIC and rVID (rvic.md §3, §4, §6): one <see cref="RvicInstance"/> per vCPU, the VM's
/// <see cref="RvidTable"/>, the hypercall tables, and the two ways interrupts arrive from outside the guest: trusted
/// sources (the virtual timer) and untrusted rVID inputs asserted by the host. A <see cref="RvicVariant"/> adds its
/// ABI changes (rvic.md §12–§15): its own function table, instance or rVID type, host calls and MMIO frame.
/// </summary>
/// <remarks>
/// Placement (rvic.md §6.9): under pkvm the handlers run in the trusted EL2 and never reach the host, so the caller's
/// own HCR_EL2.VI is synced by the handler itself; under vhe/nvhe they run in the host kernel, as in the prototype.
/// A change to another vCPU's instance never writes that vCPU's VI: it kicks the vCPU when its can-signal output
/// changed, and the vCPU recomputes VI before its next entry (§3.7).
/// </remarks>
public sealed class RvicController : IIrqController
{
    /// <summary>One trap this controller registered: what the trusted surface counts (rvic.md §16).</summary>
    public sealed record Registration(string Kind, string Name, Placement Placement, FunctionTable? Functions, IReadOnlyList<string> Registers);

    private VirtualMachine vm = null!;
    private RvicCpu[] cpus = [];
    [PerVmState] private ModelLock rvidLock = null!;
    private Counter inputsDropped = null!;
    private readonly List<Registration> registrations = [];
    private Dictionary<RvicHostOp, HostFunction> hostOps = [];
    private readonly ulong msiDoorbell;

    public RvicController() : this(RvicConfig.Default) { }

    public RvicController(RvicConfig config) : this(config, RvicVariant.Base) { }

    public RvicController(RvicConfig config, RvicVariant variant)
    {
        Config = config.Validated();
        Variant = variant;
        Rvid = variant.CreateRvid(Config);
        msiDoorbell = variant.MsiDoorbell ?? RvicConfig.MsiDoorbell;
    }

    public string Name => Variant.Name;
    public bool TimerExpiryExits => true;
    public RvicConfig Config { get; }
    public RvicVariant Variant { get; }
    public RvidTable Rvid { get; }
    internal RvicCosts Costs { get; private set; } = null!;

    /// <summary>Where the rVIC and rVID hypercalls are handled.</summary>
    public Placement Placement { get; private set; }

    /// <summary>The organisation of the VM attached to.</summary>
    public Organisation Organisation => vm.Profile.Organisation;

    /// <summary>The HVC ranges and MMIO regions attached, with their placements.</summary>
    public IReadOnlyList<Registration> Registrations => registrations;

    /// <summary>What the host can ask (<see cref="RvicHostOp"/>): every operation under vhe/nvhe, only the host calls
    /// EL2 serves under pkvm.</summary>
    public IReadOnlyCollection<RvicHostOp> HostOps => hostOps.Keys;

    /// <summary>The MSI address the VMM's devices write (rvic.md §4; rvic-msi: the frame's SETINPUT register, §14).</summary>
    public ulong MsiDoorbell => msiDoorbell;

    public void Attach(VirtualMachine machine)
    {
        vm = machine;
        Costs = new RvicCosts(vm.Profile);
        rvidLock = vm.Locks.Get("rvid");
        inputsDropped = vm.Metrics.Get("rvid_inputs_dropped");
        cpus = vm.Vcpus.Select(v => new RvicCpu(Variant.CreateInstance(Config), vm.Locks.Get("rvic", v.Id.Value))).ToArray();
        foreach (var v in vm.Vcpus) v.ControllerState = cpus[v.Id.Value];
        Placement = vm.Profile.Organisation == Organisation.Pkvm ? Placement.El2 : Placement.HostKernel;
        MapHvc(new RvicHypercalls(this).Table(), Placement);
        MapHvc(new RvidHypercalls(this).Table(), Placement);
        var el2HostCalls = new Dictionary<RvicHostOp, HostFunction> { [RvicHostOp.AssertInput] = AssertInput };
        foreach (var ext in Variant.Extensions)
        {
            if (ext.CreateCalls(this) is { } table) MapHvc(table, Placement);
            foreach (var (op, fn) in ext.HostCalls(this)) el2HostCalls.Add(op, fn);
            ext.Attach(this, vm);
        }
        hostOps = vm.Profile.Organisation == Organisation.Pkvm ? el2HostCalls : HostKernelOps(el2HostCalls);
    }

    public RvicInstance InstanceOf(Vcpu cpu) => cpus[cpu.Id.Value].Instance;

    public int PendingInterrupts(Vcpu cpu) => InstanceOf(cpu).PendingCount;
    internal ModelLock RvidLock => rvidLock;
    internal VirtualMachine Vm => vm;
    internal void ChargeCallDecode(Vcpu cpu) => cpu.ChargeHyp(Costs.CallDecode);
    internal void CountDropped() => inputsDropped.Value++;

    private void MapHvc(FunctionTable table, Placement placement)
    {
        vm.Router.MapHvc(table.Name, table.First, table.Last, table, placement);
        registrations.Add(new Registration("HVC", table.Name, placement, table, []));
    }

    /// <summary>Maps an MMIO frame a variant adds; <paramref name="registers"/> names the registers it decodes.</summary>
    internal void MapMmio(string name, ulong baseAddress, ulong size, IMmioHandler handler, Placement placement, IReadOnlyList<string> registers)
    {
        vm.Router.MapMmio(name, baseAddress, size, handler, placement);
        registrations.Add(new Registration("DABT", name, placement, null, registers));
    }

    // ---- the vCPU's virtual IRQ input ---------------------------------------------------------------------------

    /// <summary>KVM's rVIC has no sync_hwstate (rvic.md §6.7): nothing to fold back on exit.</summary>
    public void OnGuestExit(Vcpu cpu) { }

    /// <summary>rvic_flush_signaling_state: VI follows can-signal on every entry from the host (rvic.md §3.7).</summary>
    public void OnGuestEntry(Vcpu cpu) => SyncVi(cpu);

    public bool IrqLineAsserted(Vcpu cpu) => cpus[cpu.Id.Value].Vi;

    /// <summary>
    /// For a halted vCPU, irqchip_vcpu_pending_irq: can-signal (rvic.md §3.7). For a vCPU about to execute WFI, the
    /// question is whether WFI would complete at once, and that is VI. A can-signal change not yet in VI comes from
    /// another context whose kick is in flight: that context's burst ran ahead of this vCPU on the timeline, so in
    /// simulated time the WFI comes first, halts, and the kick wakes it.
    /// </summary>
    public bool HasPendingForWake(Vcpu cpu) => cpu.IsHalted ? cpus[cpu.Id.Value].Instance.CanSignal : cpus[cpu.Id.Value].Vi;

    internal void SyncVi(Vcpu cpu)
    {
        var s = cpus[cpu.Id.Value];
        bool can = s.Instance.CanSignal;
        if (!s.Vi && can) s.ViSetAt = cpu.Now; // the injection: VI goes up as this sync writes it
        cpu.ChargeHyp(Costs.ViSync);
        s.Vi = can;
    }

    // ---- changing an instance -----------------------------------------------------------------------------------

    /// <summary>Takes <paramref name="target"/>'s instance lock on <paramref name="from"/> for <paramref name="changes"/>
    /// state changes and returns the instance with its can-signal value before them; pair with <see cref="EndUpdate"/>.</summary>
    internal RvicInstance BeginUpdate(ExecContext from, Vcpu target, out bool couldSignal, int changes = 1)
    {
        var s = cpus[target.Id.Value];
        from.TakeLock(s.Lock, Costs.InstanceUpdate * changes);
        couldSignal = s.Instance.CanSignal;
        return s.Instance;
    }

    /// <summary>__rvic_sync_hcr: the own instance's VI is written at once; another vCPU is kicked only when its
    /// can-signal output changed, in either direction (rvic.md §3.7).</summary>
    internal void EndUpdate(ExecContext from, Vcpu target, bool couldSignal)
    {
        if (ReferenceEquals(from, target)) SyncVi(target);
        else if (couldSignal != cpus[target.Id.Value].Instance.CanSignal) vm.Kick(from, target);
    }

    /// <summary>A trusted or untrusted source raised <paramref name="intid"/> on <paramref name="target"/> (KVM
    /// rvic_vcpu_inject_irq with level high). An injection into a disabled instance is latched, not dropped
    /// (DECISIONS.md).</summary>
    internal void Inject(ExecContext from, Vcpu target, int intid)
    {
        var inst = BeginUpdate(from, target, out bool before);
        inst.SetPending(intid, vm.Raise(from));
        EndUpdate(from, target, before);
    }

    /// <summary>The cross-instance calls' checks in KVM's order (rvic.md §2.4): the MPIDR (INVALID_CPU, 0), then the
    /// INTID against the target's nr_total (ERROR_PARAMETER, 1).</summary>
    internal bool TryTarget(Vcpu cpu, ulong mpidr, ulong intid, out Vcpu target, out HvcResult error)
    {
        target = FindTarget(cpu, mpidr)!;
        error = default;
        if (target is null) { error = Fail(RvicReason.InvalidCpu); return false; }
        if (intid >= (ulong)InstanceOf(target).NrTotal) { error = Parameter(1); return false; }
        return true;
    }

    /// <summary>What ACKNOWLEDGE returns once the instance chose <paramref name="intid"/> (-1: none): DISABLED or
    /// NO_INTERRUPTS with x1 = 0, or SUCCESS with the INTID, booked as a delivery. A priority-ordered instance also
    /// pays for the entries it compared.</summary>
    internal HvcResult AcknowledgeResult(Vcpu cpu, RvicInstance inst, int intid)
    {
        if (inst.LastScanLength > 0) cpu.ChargeHyp(Costs.PriorityCompare * inst.LastScanLength);
        if (!inst.Enabled) return Fail(RvicReason.Disabled);
        if (intid < 0) return Fail(RvicReason.NoInterrupts);
        RecordDelivery(cpu, inst, intid);
        return Ok((ulong)intid);
    }

    // ---- sources outside the guest ------------------------------------------------------------------------------

    /// <summary>The virtual timer's level went high: the trusted hypervisor pends its trusted INTID and records the
    /// line level for RESAMPLE (rvic.md §5.8, §6.6). It runs in the vCPU's own exit (VI is recomputed on the way back
    /// in) or, for a halted vCPU, in the host's background timer, after which the machine wakes the vCPU: no kick.</summary>
    public void OnVirtualTimerExpired(Vcpu cpu)
    {
        ExecContext on = cpu.IsHalted ? vm.Host(cpu.Now) : cpu;
        var inst = BeginUpdate(on, cpu, out _);
        inst.SetLineLevel((int)RvicConfig.TimerIntid, true);
        inst.SetPending((int)RvicConfig.TimerIntid, vm.Raise(on));
    }

    /// <summary>
    /// The VMM turns an MSI write into an rVID input assertion (rvic.md §4, §7): the doorbell (the prototype's
    /// 0xBA5E0000, or the rvic-msi frame's SETINPUT register), data = input. A write elsewhere, or with data outside
    /// the MSI window the VMM advertised, is not an MSI of this rVID and is dropped.
    /// </summary>
    public void SignalMsi(HostContext host, DeviceId device, MsiMessage msi)
    {
        vm.Metrics.MsisSignalled.Value++;
        if (msi.Address != msiDoorbell || !IsMsiInput(msi.Data))
        {
            inputsDropped.Value++;
            return;
        }
        HostCall(host, RvicHostOp.AssertInput, new HostArgs(msi.Data));
    }

    /// <summary>Whether <paramref name="data"/> names an input of the MSI window.</summary>
    internal bool IsMsiInput(ulong data) => data >= (ulong)Config.MsiBase && data < (ulong)Config.NrUntrusted;

    /// <summary>The host side asks for <paramref name="op"/>: carried out if the organisation gives the host that
    /// operation (<see cref="HostOps"/>). Under pkvm an operation EL2 does not serve is a host call that EL2 refuses
    /// (it still costs the host its call into EL2).</summary>
    public bool HostCall(ExecContext from, RvicHostOp op, in HostArgs args)
    {
        if (hostOps.TryGetValue(op, out var fn)) return fn(from, args);
        from.ChargeHyp(Costs.PkvmHostCall);
        return false;
    }

    /// <summary>
    /// The untrusted side asserts an rVID input (KVM_IRQ_LINE / irqfd, rvic.md §4): the only thing it can do. The
    /// trusted side looks the input up in the guest's table; an input out of range or unmapped is dropped and counted.
    /// Under pkvm the host reaches the table through a hypercall into EL2.
    /// </summary>
    public bool AssertInput(ExecContext from, ulong input) => AssertInput(from, input, Costs.InputInject);

    private bool AssertInput(ExecContext from, in HostArgs a) => AssertInput(from, a.A);

    /// <summary><see cref="AssertInput(ExecContext, ulong)"/> with the host-side entry cost of the path it came by.</summary>
    internal bool AssertInput(ExecContext from, ulong input, long entryCost)
    {
        EnterRvid(from, entryCost);
        return RouteInput(from, input);
    }

    /// <summary>The host's way into the rVID: its entry path, its call into EL2 under pkvm, the rVID lock.</summary>
    internal void EnterRvid(ExecContext from, long entryCost)
    {
        from.ChargeHyp(Costs.PkvmHostCall + entryCost);
        from.TakeLock(rvidLock, Costs.RvidUpdate);
    }

    /// <summary>Pends the (vCPU, INTID) the guest mapped <paramref name="input"/> to, or drops and counts it.</summary>
    internal bool RouteInput(ExecContext from, ulong input)
    {
        if (!Rvid.TryRoute(input, out var route))
        {
            inputsDropped.Value++;
            return false;
        }
        Inject(from, vm.Vcpus[route.Vcpu], route.Intid);
        return true;
    }

    /// <summary>kvm_mpidr_to_vcpu: the affinity bits of <paramref name="mpidr"/> (it masks with MPIDR_HWID_BITMASK)
    /// against every vCPU in turn; the scan's length is charged on <paramref name="caller"/>.</summary>
    internal Vcpu? FindTarget(Vcpu caller, ulong mpidr)
    {
        var target = vm.FindVcpu(new Mpidr(mpidr & Mpidr.HwIdMask));
        caller.ChargeHyp(Costs.MpidrCompare * (target is null ? vm.Vcpus.Count : target.Id.Value + 1));
        return target;
    }

    /// <summary>Books a delivery at ACKNOWLEDGE: irqs_delivered and the latency since the INTID became pending.
    /// Bursts of different vCPUs are processed out of time order, so a source's time can be a little ahead of the
    /// acknowledging vCPU's cursor; such a latency counts as zero.</summary>
    internal void RecordDelivery(Vcpu cpu, RvicInstance inst, int intid)
    {
        var kind = intid < RvicConfig.IpiCount ? IrqKind.Ipi
            : intid == RvicConfig.TimerIntid ? IrqKind.Timer
            : intid >= Config.NrTrusted ? IrqKind.Msi // untrusted INTIDs are fed by the rVID, whose inputs are MSIs here
            : IrqKind.Other;
        vm.Deliver(cpu, kind, inst.Origin(intid), cpus[cpu.Id.Value].ViSetAt);
    }

    // ---- what the host kernel can do when it holds the state (vhe, nvhe) -----------------------------------------

    /// <summary>
    /// Under vhe and nvhe the instances and the rVID are host-kernel memory: besides the host calls, the host can run
    /// any of the functions KVM's rvic-cpu.c has on them (rvic.md §6.9). These are those functions.
    /// </summary>
    private Dictionary<RvicHostOp, HostFunction> HostKernelOps(Dictionary<RvicHostOp, HostFunction> hostCalls)
    {
        var ops = new Dictionary<RvicHostOp, HostFunction>(hostCalls)
        {
            [RvicHostOp.Pend] = (ExecContext from, in HostArgs a) => OnInstance(from, a, (inst, i) => inst.SetPending(i, vm.Raise(from))),
            [RvicHostOp.RaiseLine] = (ExecContext from, in HostArgs a) => OnInstance(from, a, (inst, i) =>
            {
                inst.SetLineLevel(i, true);
                inst.SetPending(i, vm.Raise(from));
            }),
            [RvicHostOp.ClearPending] = (ExecContext from, in HostArgs a) => OnInstance(from, a, (inst, i) => inst.ClearPending(i)),
            [RvicHostOp.SetMasked] = (ExecContext from, in HostArgs a) => OnInstance(from, a, (inst, i) => inst.SetMasked(i)),
            [RvicHostOp.ClearMasked] = (ExecContext from, in HostArgs a) => OnInstance(from, a, (inst, i) => inst.ClearMasked(i)),
            [RvicHostOp.Map] = (ExecContext from, in HostArgs a) =>
            {
                from.TakeLock(rvidLock, Costs.RvidUpdate);
                return a.B < (ulong)vm.Vcpus.Count && Rvid.Map(a.A, (int)a.B, a.C).IsSuccess;
            },
        };
        return ops;
    }

    /// <summary>A state change on vCPU A's INTID B under its instance lock, with the kick a change of can-signal implies.</summary>
    private bool OnInstance(ExecContext from, in HostArgs a, Action<RvicInstance, int> change)
    {
        if (a.A >= (ulong)vm.Vcpus.Count || a.B >= (ulong)Config.NrTotal) return false;
        var target = vm.Vcpus[(int)a.A];
        var inst = BeginUpdate(from, target, out bool before);
        change(inst, (int)a.B);
        EndUpdate(from, target, before);
        return true;
    }
}

/// <summary>Marks a controller field that is per-VM state of the rVIC/rVID (counted by the trusted surface).</summary>
[AttributeUsage(AttributeTargets.Field)]
internal sealed class PerVmStateAttribute : Attribute;

/// <summary>Marks a field the simulator keeps for its own accounting (latency origins, cost counters), not state a real
/// implementation needs; the trusted surface does not count it.</summary>
[AttributeUsage(AttributeTargets.Field)]
internal sealed class ModelBookkeepingAttribute : Attribute;
