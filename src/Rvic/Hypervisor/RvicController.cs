using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Locks;
using IrqBench.Machine.Metrics;
using IrqBench.Machine.Vcpus;
using IrqBench.Rvic.Abi;
using IrqBench.Rvic.Instance;
using IrqBench.Rvic.Rvid;

namespace IrqBench.Rvic.Hypervisor;

/// <summary>
/// The hypervisor side of the rVIC and rVID (rvic.md §3, §4, §6): one <see cref="RvicInstance"/> per vCPU, the VM's
/// <see cref="RvidTable"/>, the hypercall handlers, and the two ways interrupts arrive from outside the guest: trusted
/// sources (the virtual timer) and untrusted rVID inputs asserted by the host.
/// </summary>
/// <remarks>
/// Placement (rvic.md §6.9): under pkvm the handlers run in the trusted EL2 and never reach the host, so the caller's
/// own HCR_EL2.VI is synced by the handler itself; under vhe/nvhe they run in the host kernel, as in the prototype.
/// A change to another vCPU's instance never writes that vCPU's VI: it kicks the vCPU when its can-signal output
/// changed, and the vCPU recomputes VI before its next entry (§3.7).
/// </remarks>
public sealed class RvicController(RvicConfig config) : IIrqController
{
    private VirtualMachine vm = null!;
    private RvicCpu[] cpus = [];
    private ModelLock rvidLock = null!;
    private Counter inputsDropped = null!;

    public RvicController() : this(RvicConfig.Default) { }

    public string Name => "rvic";
    public bool TimerExpiryExits => true;
    public RvicConfig Config { get; } = config.Validated();
    public RvidTable Rvid { get; } = new(config.NrTrusted, config.NrTotal);
    internal RvicCosts Costs { get; private set; } = null!;

    /// <summary>Where the rVIC and rVID hypercalls are handled.</summary>
    public Placement Placement { get; private set; }

    public void Attach(VirtualMachine machine)
    {
        vm = machine;
        Costs = new RvicCosts(vm.Profile);
        rvidLock = vm.Locks.Get("rvid");
        inputsDropped = vm.Metrics.Get("rvid_inputs_dropped");
        cpus = vm.Vcpus.Select(v => new RvicCpu(new RvicInstance(Config.NrTrusted, Config.NrTotal), vm.Locks.Get("rvic", v.Id.Value))).ToArray();
        foreach (var v in vm.Vcpus) v.ControllerState = cpus[v.Id.Value];
        Placement = vm.Profile.Organisation == Organisation.Pkvm ? Placement.El2 : Placement.HostKernel;
        vm.Router.MapHvc("rvic", RvicFunctions.Base, RvicFunctions.Last, new RvicHypercalls(this), Placement);
        vm.Router.MapHvc("rvid", RvidFunctions.Base, RvidFunctions.Last, new RvidHypercalls(this), Placement);
    }

    public RvicInstance InstanceOf(Vcpu cpu) => cpus[cpu.Id.Value].Instance;
    internal ModelLock RvidLock => rvidLock;

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
        if (!s.Vi && s.Instance.CanSignal) s.ViSetAt = cpu.Now; // the injection: VI goes up as this sync writes it
        cpu.ChargeHyp(Costs.ViSync);
        s.Vi = s.Instance.CanSignal;
    }

    // ---- changing an instance -----------------------------------------------------------------------------------

    /// <summary>Takes <paramref name="target"/>'s instance lock on <paramref name="from"/> for one state change and
    /// returns the instance with its can-signal value before the change; pair with <see cref="EndUpdate"/>.</summary>
    internal RvicInstance BeginUpdate(ExecContext from, Vcpu target, out bool couldSignal)
    {
        var s = cpus[target.Id.Value];
        from.TakeLock(s.Lock, Costs.InstanceUpdate);
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
    /// The VMM turns an MSI write into an rVID input assertion (rvic.md §4, §7): doorbell 0xBA5E0000, data = input.
    /// A write elsewhere, or with data outside the MSI window the VMM advertised, is not an MSI of this rVID and is
    /// dropped.
    /// </summary>
    public void SignalMsi(HostContext host, DeviceId device, MsiMessage msi)
    {
        vm.Metrics.MsisSignalled.Value++;
        if (msi.Address != RvicConfig.MsiDoorbell || msi.Data < Config.MsiBase || msi.Data >= Config.NrUntrusted)
        {
            inputsDropped.Value++;
            return;
        }
        AssertInput(host, msi.Data);
    }

    /// <summary>
    /// The untrusted side asserts an rVID input (KVM_IRQ_LINE / irqfd, rvic.md §4): the only thing it can do. The
    /// trusted side looks the input up in the guest's table; an input out of range or unmapped is dropped and counted.
    /// Under pkvm the host reaches the table through a hypercall into EL2.
    /// </summary>
    public void AssertInput(HostContext host, ulong input)
    {
        host.ChargeHyp(Costs.PkvmHostCall + Costs.InputInject);
        host.TakeLock(rvidLock, Costs.RvidUpdate);
        if (!Rvid.TryRoute(input, out var route))
        {
            inputsDropped.Value++;
            return;
        }
        Inject(host, vm.Vcpus[route.Vcpu], route.Intid);
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
}
