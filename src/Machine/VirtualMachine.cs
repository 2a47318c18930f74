using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Locks;
using IrqBench.Machine.Memory;
using IrqBench.Machine.Metrics;
using IrqBench.Machine.Simulation;
using IrqBench.Machine.Traps;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Machine;

/// <summary>
/// One run's machine: the vCPUs on one event queue, the cost profile, the trap router, guest memory, the modelled
/// locks, the metrics, and the interrupt controller on the hypervisor side.
/// </summary>
public sealed class VirtualMachine
{
    /// <summary>Guest RAM as the VMM lays it out (kvmtool/QEMU virt put RAM at 1 GiB); devices live below it.</summary>
    public const ulong RamBase = 0x4000_0000, RamSize = 0x4000_0000;

    private readonly HostContext host;
    private bool stopRequested;
    private long haltAllStartedAt;

    public VirtualMachine(CostProfile profile, int vcpuCount, ulong seed, IIrqController controller)
    {
        if (vcpuCount < 1 || vcpuCount > 4096)
            throw new ArgumentOutOfRangeException(nameof(vcpuCount), vcpuCount, "a VM has 1 to 4096 vCPUs");
        Profile = profile;
        Seed = seed;
        Costs = new MachinePrimitives(profile);
        Locks = new LockTable(Metrics);
        Memory.AddRam(RamBase, RamSize);
        Vcpus = Enumerable.Range(0, vcpuCount).Select(i => new Vcpu(this, new VcpuId(i))).ToArray();
        host = new HostContext(this);
        Controller = controller;
        controller.Attach(this);
    }

    public CostProfile Profile { get; }
    public MachinePrimitives Costs { get; }
    public ulong Seed { get; }
    public EventQueue Queue { get; } = new();
    public MetricSet Metrics { get; } = new();
    public LockTable Locks { get; }
    public TrapRouter Router { get; } = new();
    public GuestMemory Memory { get; } = new();
    public IReadOnlyList<Vcpu> Vcpus { get; }
    public IIrqController Controller { get; }
    public bool StopRequested => stopRequested;

    /// <summary>A random stream for <paramref name="name"/>, derived from the run seed.</summary>
    public DeterministicRandom Random(string name) => DeterministicRandom.Derive(Seed, name);

    /// <summary>A host thread's context at <paramref name="time"/> (the VMM's device emulation, irqfd).</summary>
    public HostContext Host(long time) => host.At(time);

    public Vcpu? FindVcpu(Mpidr mpidr)
    {
        // MPIDRs are dense by construction (Mpidr.ForVcpu), so the index is computed, not searched.
        ulong v = mpidr.Value;
        if ((v & ~Mpidr.HwIdMask) != 0 || (v & 0xF0) != 0 || (v >> 32) != 0) return null;
        int idx = (int)((v & 0xF) | (((v >> 8) & 0xFF) << 4) | (((v >> 16) & 0xFF) << 12));
        return idx < Vcpus.Count ? Vcpus[idx] : null;
    }

    /// <summary>Starts a guest program on every vCPU at time 0.</summary>
    public void Boot(Func<Vcpu, IGuestProgram> programFor)
    {
        foreach (var v in Vcpus) v.Boot(programFor(v), 0);
    }

    /// <summary>Runs until a guest program calls <see cref="Stop"/>, nothing is left to do, or simulated time reaches
    /// <paramref name="limitCycles"/>.</summary>
    public void Run(long limitCycles = long.MaxValue)
    {
        Queue.Run(limitCycles, () => stopRequested);
        // Every vCPU's time is booked up to the same end: the latest point any of them reached (a burst may have run
        // ahead of the event clock), so that a measurement window closed inside that burst is wholly accounted.
        long end = Queue.Now;
        foreach (var v in Vcpus) end = Math.Max(end, v.Account.Until);
        foreach (var v in Vcpus) { v.CloseAccounts(end); v.Account.FlushSlices(); }
    }

    /// <summary>The measured interval of the run (see <see cref="MeasurementWindow"/>).</summary>
    public MeasurementWindow Window { get; } = new();

    /// <summary>Opens the measurement window at <paramref name="at"/> (a vCPU's cursor, at or after the event clock).</summary>
    public void OpenWindow(long at)
    {
        if (at < Queue.Now) throw new InvalidOperationException($"measurement window opened in the past: {at} < now {Queue.Now}");
        Window.Open(at);
        foreach (var v in Vcpus) v.Account.Reconcile(at, +1);
    }

    /// <summary>Closes the measurement window at <paramref name="at"/>; time booked beyond it is taken back out.</summary>
    public void CloseWindow(long at)
    {
        if (!Window.Opened || at < Window.Start) throw new InvalidOperationException($"measurement window closed at {at} before it opened");
        foreach (var v in Vcpus) v.Account.Reconcile(at, -1);
        Window.Close(at);
    }

    public void Stop() => stopRequested = true;

    // ---- what controllers ask the machine to do to other vCPUs ----------------------------------------------

    /// <summary>
    /// KVM's kvm_vcpu_kick after making a request of <paramref name="target"/>: a running target gets a physical IPI
    /// and exits; a halted one is woken (if it now has something pending). Kicking oneself is a no-op: the request is
    /// seen before the next entry.
    /// </summary>
    /// <remarks>The sender pays kvm_vcpu_kick itself (<c>kick_send</c>) and one cache-line transfer: kvm_make_request
    /// sets a bit in the target's vcpu->requests and kvm_vcpu_kick cmpxchg's vcpu->mode beside it, a line the target
    /// last wrote when it entered the guest. The target pays the transfer back when it reads its requests.</remarks>
    public void Kick(ExecContext from, Vcpu target)
    {
        if (ReferenceEquals(from, target) || target.State == VcpuState.Stopped) return;
        from.ChargeHyp(Costs.KickSend + Costs.LineTransfer);
        CountKickTransfer();
        target.LastKickSentAt = from.Now;
        TracePending(target, from.Now);
        long flow = 0;
        if (Trace is { } trace) { flow = trace.NewFlow(); trace.FlowStart(flow, "kick", from.CpuOwner, from.Now); }
        long arg = (flow << 1) | 1;
        if (target.IsHalted) { Queue.Post(Math.Max(from.Now, Queue.Now), target, Vcpu.EvKick, arg); return; }
        Metrics.Kicks.Value++;
        Queue.Post(Math.Max(from.Now + Costs.KickIpi, Queue.Now), target, Vcpu.EvKick, arg);
    }

    /// <summary>Where a trace of this run goes (null: no tracing). Set it before <see cref="Boot"/>.</summary>
    public Tracing.ITraceSink? Trace { get; set; }

    /// <summary>An interrupt is raised by <paramref name="from"/>: its origin — the start of the raising operation
    /// (a vCPU's trap), the CPU, and (when tracing) the flow that will lead to its handler.</summary>
    public IrqOrigin Raise(ExecContext from)
    {
        long at = from.OperationStart;
        long flow = 0;
        if (Trace is { } trace) { flow = trace.NewFlow(); trace.FlowStart(flow, "irq", from.CpuOwner, at); }
        return new IrqOrigin(at, from.CpuOwner, flow);
    }

    /// <summary>
    /// The guest on <paramref name="cpu"/> acknowledged an interrupt of <paramref name="kind"/> raised at
    /// <paramref name="origin"/> and injected at <paramref name="injectedAt"/> (its list register written, VI set, or
    /// the hardware signalling it): irqs_delivered, the latency and its stages (<see cref="LatencyStages"/>), and
    /// the end of its trace flow. A source whose burst ran a little ahead of the acknowledging vCPU's cursor counts
    /// as latency zero.
    /// </summary>
    public void Deliver(Vcpu cpu, IrqKind kind, IrqOrigin origin, long injectedAt)
    {
        Span<long> stages = stackalloc long[LatencyStages.All.Count];
        LatencyStages.Split(origin.At, cpu.ExceptionKickSentAt, cpu.ExceptionExitBeganAt, injectedAt, cpu.ExceptionEntryAt, cpu.LastExceptionAt, cpu.Now, stages);
        Metrics.Delivered(kind, stages);
        if (origin.Flow != 0) Trace?.FlowEnd(origin.Flow, cpu.Id.Value, cpu.Now);
        TracePending(cpu, cpu.Now);
    }

    private Metrics.Counter? kickTransfers;

    internal void CountKickTransfer()
    {
        Metrics.LineTransfers.Value++;
        (kickTransfers ??= Metrics.Get("line_transfers.kick")).Value++;
    }

    /// <summary>Hardware changed <paramref name="target"/>'s virtual IRQ input with no hypervisor involvement (the
    /// ideal controller, a GICv4.1 vLPI to a resident vPE); a halted target is woken.</summary>
    public void NotifyIrqLine(ExecContext from, Vcpu target)
    {
        Queue.Post(Math.Max(from.Now, Queue.Now), target, Vcpu.EvIrqLine, 0);
        TracePending(target, from.Now);
    }

    /// <summary>When tracing: the counter track of how many interrupts are queued for <paramref name="target"/>,
    /// sampled where that changes — an interrupt made pending on it (a kick, a line change), acknowledged, or the
    /// host's run loop entering the guest after its sync and flush.</summary>
    internal void TracePending(Vcpu target, long at)
    {
        if (Trace is not { } trace) return;
        int n = Controller.PendingInterrupts(target);
        if (n >= 0) trace.Counter($"pending interrupts, vCPU {target.Id.Value}", at, n);
    }

    /// <summary>The GIC raised a maintenance interrupt for <paramref name="cpu"/> while it runs the guest.</summary>
    public void RaiseMaintenance(Vcpu cpu)
    {
        Trace?.Instant(cpu.Id.Value, "maintenance interrupt", cpu.Now);
        Queue.Post(Math.Max(cpu.Now, Queue.Now), cpu, Vcpu.EvMaintenance, 0);
    }

    /// <summary>
    /// Stop-the-world (KVM's kvm_arm_halt_guest): every other vCPU is made to exit and wait. The caller pays for the
    /// kicks and for waiting until the last vCPU is out; <see cref="ResumeAllVcpus"/> lets them go.
    /// </summary>
    public void HaltAllVcpus(Vcpu caller)
    {
        Metrics.HaltAll.Value++;
        Trace?.Instant(caller.Id.Value, "stop-the-world (kvm_arm_halt_guest)", caller.Now);
        haltAllStartedAt = caller.Now;
        caller.ChargeHyp(Costs.KickIpi + Costs.ExceptionRoundtrip + Costs.VcpuExitSave);
    }

    /// <summary>kvm_arm_resume_guest: the vCPUs halted by <see cref="HaltAllVcpus"/> exited when the kick reached them
    /// and stay out until now.</summary>
    public void ResumeAllVcpus(Vcpu caller)
    {
        foreach (var v in Vcpus)
        {
            if (ReferenceEquals(v, caller) || v.State is VcpuState.Halted or VcpuState.Stopped) continue;
            Metrics.Kicks.Value++;
            Queue.Post(Math.Max(haltAllStartedAt + Costs.KickIpi, Queue.Now), v, Vcpu.EvPause, caller.Now);
        }
    }
}
