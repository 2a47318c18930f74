using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Metrics;
using IrqBench.Machine.Simulation;

namespace IrqBench.Machine.Vcpus;

/// <summary>
/// One vCPU on the shared timeline (DESIGN §4).
/// </summary>
/// <remarks>
/// <para>Guest code runs in bursts: an event (a work segment ending, a kick, a timer) calls the guest program, which
/// performs architectural accesses — each served by hardware or trapped, each advancing this vCPU's cursor
/// <see cref="ExecContext.Now"/> by its cost — and then chooses its next activity. Effects on other vCPUs are posted
/// as events at the cursor's time (a kick lands at the time of the trapping access plus the IPI latency), so
/// cross-CPU ordering follows the accesses even though a burst is processed in one go.</para>
/// <para>An event for this vCPU that arrives while a burst is still in progress on the timeline (before
/// <see cref="BusyUntil"/>) is deferred to the burst's end. A kick deferred that way hit either guest code (then it
/// exits at the end of the burst) or the hypervisor (then, as in KVM's kvm_vcpu_kick when the vCPU is not
/// IN_GUEST_MODE, it costs no exit: the request is seen before the next entry, modelled by re-running the
/// controller's entry work).</para>
/// </remarks>
public sealed partial class Vcpu : ExecContext, IEventTarget
{
    internal const int EvStep = 1, EvKick = 2, EvMaintenance = 3, EvIrqLine = 4, EvTimer = 5, EvWake = 6,
        EvHaltPollEnd = 7, EvFlagSeen = 8, EvStart = 9, EvPause = 10;

    private enum Activity { None, Work, Spin, Wfi, WfiInGuest, Stopped }

    private readonly MetricSet m;
    private readonly MachinePrimitives costs;
    private readonly CycleAccount account;
    private readonly Counter lineTransfersFlag, wfiInGuest;
    private readonly HaltPolling haltPoll;
    private readonly ExitTally exits;
    private IGuestProgram? program;

    private Activity activity;
    private long activityGen;        // invalidates Step / FlagSeen / HaltPollEnd events of an activity that ended
    private long workStart, workEnd, workRemaining;
    private GuestFlag? spinFlag;
    private long spinStart;
    private bool haltPolling;
    private long haltStart, haltPollWindow, wfiSince;
    private bool choseActivity;
    private int zeroProgressWfis;
    private bool preemptRequested;

    internal Vcpu(VirtualMachine vm, VcpuId id) : base(vm)
    {
        Id = id;
        Mpidr = Mpidr.ForVcpu(id);
        m = vm.Metrics;
        costs = vm.Costs;
        account = new CycleAccount(m, vm.Window, this);
        lineTransfersFlag = m.Get("line_transfers.flag");
        wfiInGuest = m.Get("wfi_untrapped");
        exits = new ExitTally();
        m.ExitsByVcpu.Add(exits);
        haltPoll = new HaltPolling(costs.HaltPollWindow, costs.HaltPollGrowStart);
        Timer = new VirtualTimer(this);
    }

    public VcpuId Id { get; }
    public Mpidr Mpidr { get; }
    public VcpuState State { get; private set; } = VcpuState.RunningGuest;
    public VirtualTimer Timer { get; }

    /// <summary>The guest's PSTATE.I: set while an IRQ handler runs, or where the guest masks interrupts.</summary>
    public bool IrqsMasked { get; set; }

    /// <summary>The end of the last burst on the timeline.</summary>
    public long BusyUntil { get; private set; }

    /// <summary>When the vCPU last entered the guest (to tell whether a late kick hit guest or hypervisor code).</summary>
    public long LastEntryAt { get; private set; }

    /// <summary>Per-vCPU state a controller keeps (its vgic_cpu or rVIC instance).</summary>
    public object? ControllerState { get; set; }

    /// <summary>Per-vCPU state the guest kernel keeps.</summary>
    public object? GuestState { get; set; }

    public bool IsHalted => State == VcpuState.Halted;

    internal void Boot(IGuestProgram p, long at)
    {
        program = p;
        Vm.Queue.Post(at, this, EvStart);
    }

    public override string ToString() => Id.ToString();

    public override int CpuOwner => Id.Value;

    // ---- time accounting -------------------------------------------------------------------------------------

    public override void ChargeHyp(long cycles) => Charge(TimeClass.Hyp, cycles);

    /// <summary>Guest work that cannot be preempted here (inside an IRQ handler, or with IRQs masked).</summary>
    public void Compute(long cycles) => Charge(TimeClass.Guest, cycles);

    private void Charge(TimeClass c, long cycles)
    {
        if (cycles < 0) throw new ArgumentOutOfRangeException(nameof(cycles), cycles, "a cost cannot be negative");
        // Work charged on a halted vCPU from elsewhere (a test driving it, a host path acting on it): the halt so far
        // was idle.
        if (State == VcpuState.Halted && Now > account.Until) account.Book(TimeClass.Idle, account.Until, Now - account.Until, Vm.Queue.Now);
        account.Book(c, Now, cycles, Vm.Queue.Now);
        Now = checked(Now + cycles);
    }

    /// <summary>Books [<paramref name="start"/>, Now) — an activity that just ended or was suspended — as
    /// <paramref name="c"/>.</summary>
    private void BookSince(TimeClass c, long start) => account.Book(c, start, Now - start, Vm.Queue.Now);

    /// <summary>This vCPU's own cycles of <paramref name="c"/> since boot.</summary>
    public long CyclesOf(TimeClass c) => account.Own(c);

    internal CycleAccount Account => account;

    // ---- where an interrupt's latency goes: the milestones of this vCPU's path (see LatencyStages) ----------

    /// <summary>When the last kick to this vCPU left its sender.</summary>
    internal long LastKickSentAt = long.MinValue;
    internal long LastExitBeganAt = long.MinValue;
    internal long LastExceptionAt = long.MinValue;

    /// <summary>The kick, exit and entry milestones as they stood when the IRQ exception was taken: what led to it.
    /// The guest's acknowledge may itself trap (rVIC's ACKNOWLEDGE hypercall), and that exit and entry must not pass
    /// for the ones that delivered the interrupt.</summary>
    internal long ExceptionKickSentAt = long.MinValue, ExceptionExitBeganAt = long.MinValue, ExceptionEntryAt = long.MinValue;

    /// <summary>The start of the operation in progress: in an exit, the trap that began it (an IPI's latency starts at
    /// the sender's trapped write, not inside the handler); otherwise now.</summary>
    public override long OperationStart => State == VcpuState.InHypervisor ? LastExitBeganAt : Now;

    // ---- what a trace calls this vCPU's time ----------------------------------------------------------------

    private string? exitLabel;
    private string idleLabel = "halted";

    internal (string Name, string Category) SliceName(TimeClass c) => c switch
    {
        TimeClass.Guest => inIrq ? ("IRQ handler", "guest") : activity == Activity.Spin ? ("guest (spin)", "guest") : ("guest", "guest"),
        TimeClass.Hyp => (exitLabel ?? "hypervisor", "hypervisor"),
        _ => (idleLabel, "idle"),
    };


    // ---- activities the guest program chooses ----------------------------------------------------------------

    /// <summary>Runs <paramref name="cycles"/> of guest work; an interrupt preempts it and it resumes with exactly
    /// the rest afterwards. <see cref="IGuestProgram.Resume"/> is called when it is done.</summary>
    public void RunWork(long cycles)
    {
        BeginActivity(Activity.Work);
        workRemaining = Math.Max(0, cycles);
        StartWorkSegment();
    }

    /// <summary>
    /// Linux's preempt_schedule_irq: called from an IRQ handler, ends the interrupted <see cref="RunWork"/> when the
    /// IRQ returns instead of resuming it. <see cref="IGuestProgram.Resume"/> is then called and
    /// <see cref="WorkLeft"/> holds the cycles of that work that were not done. Without work in progress it does
    /// nothing (an idle vCPU resumes from WFI anyway).
    /// </summary>
    public void PreemptWorkOnIrqReturn()
    {
        if (!inIrq) throw new InvalidOperationException($"{Id}: PreemptWorkOnIrqReturn outside an IRQ handler");
        if (activity == Activity.Work) preemptRequested = true;
    }

    /// <summary>In <see cref="IGuestProgram.Resume"/>: the cycles of the last <see cref="RunWork"/> left undone
    /// because it was preempted (<see cref="PreemptWorkOnIrqReturn"/>); 0 when it ran to completion.</summary>
    public long WorkLeft { get; private set; }

    /// <summary>Spins (IRQs as they are) until <paramref name="flag"/> is set.</summary>
    public void SpinUntil(GuestFlag flag)
    {
        BeginActivity(Activity.Spin);
        spinFlag = flag;
        spinStart = Now;
        if (flag.IsSet) PostFlagSeen(flag);
        else flag.AddSpinner(this);
    }

    /// <summary>The spin ends when the store is visible here: never before the setter's time plus the cache-line
    /// transfer, even when the setter's burst was processed first (it may lie later on the timeline).</summary>
    private void PostFlagSeen(GuestFlag flag)
    {
        // Posted at the time the store is visible; if this vCPU is still busy then, the event waits for the end of
        // its burst like any other, behind events that arrived earlier.
        bool remote = !ReferenceEquals(flag.SetBy, this);
        if (remote) { m.LineTransfers.Value++; lineTransfersFlag.Value++; }
        long visible = flag.SetAt + (remote ? costs.LineTransfer : 0);
        Vm.Queue.Post(Math.Max(visible, Vm.Queue.Now), this, EvFlagSeen, activityGen);
    }

    /// <summary>Executes WFI: if nothing is deliverable it traps and the vCPU halts until an interrupt is — or, where
    /// the controller has KVM clear HCR_EL2.TWI, the vCPU waits in the guest without an exit.</summary>
    public void WaitForInterrupt()
    {
        bool traps = Vm.Controller.TrapsWfi(this);
        BeginActivity(traps ? Activity.Wfi : Activity.WfiInGuest);
        if (!traps)
        {
            // HCR_EL2.TWI clear: WFI completes in hardware when the virtual IRQ input is up, and otherwise waits, idle,
            // in the guest. A physical IRQ (a kick, the timer) still makes the vCPU exit as any running vCPU does.
            wfiInGuest.Value++;
            wfiSince = Now;
            if (Vm.Controller.IrqLineAsserted(this)) Vm.Queue.Post(Math.Max(Now, Vm.Queue.Now), this, EvIrqLine, 0);
            return;
        }
        if (Vm.Controller.HasPendingForWake(this) || Vm.Controller.IrqLineAsserted(this))
        {
            // WFI with an interrupt pending does not suspend (and so does not trap, HCR_EL2.TWI only traps a WFI
            // that would wait). The interrupt is taken when the guest unmasks.
            if (++zeroProgressWfis > 10_000)
                throw new InvalidOperationException($"{Id}: WFI keeps returning at {Now} without an interrupt being taken (controller reports pending for wake, but never delivers)");
            Vm.Queue.Post(Math.Max(Now, Vm.Queue.Now), this, EvStep, activityGen);
            return;
        }
        zeroProgressWfis = 0;
        BeginExit(ExitReason.Wfi, Placement.HostKernel, "WFx");
        ChargeHyp(costs.WfiHandler);
        State = VcpuState.Halted;
        haltStart = Now;
        haltPollWindow = haltPoll.Window;
        haltPolling = haltPollWindow > 0;
        if (haltPolling) Vm.Queue.Post(Now + haltPollWindow, this, EvHaltPollEnd, activityGen);
        else m.HaltSleeps.Value++;
    }

    /// <summary>The guest program is done with this vCPU.</summary>
    public void Stop()
    {
        BeginActivity(Activity.Stopped);
        State = VcpuState.Stopped;
    }

    private void BeginActivity(Activity a)
    {
        if (choseActivity)
            throw new InvalidOperationException($"{Id}: the guest program chose two activities in one step ({activity} then {a})");
        if (inIrq)
            throw new InvalidOperationException($"{Id}: an IRQ handler may not choose an activity ({a}); use Compute for handler work");
        choseActivity = true;
        WorkLeft = 0;
        preemptRequested = false;
        activity = a;
        activityGen++;
    }

    private void StartWorkSegment()
    {
        workStart = Now;
        workEnd = Now + workRemaining;
        Vm.Queue.Post(Math.Max(workEnd, Vm.Queue.Now), this, EvStep, activityGen);
    }

    internal void FlagWasSet(GuestFlag flag)
    {
        if (activity == Activity.Spin && spinFlag == flag) PostFlagSeen(flag);
    }
}
