using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Metrics;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Workloads.Kernel;

/// <summary>
/// The guest kernel: tasks, per-vCPU run queues under a fair class (<see cref="Eevdf"/> or <see cref="Cfs"/>,
/// <see cref="KernelConfig"/>), try_to_wake_up with its placement, the wake list and reschedule IPIs, an idle loop
/// that executes WFI, the HZ=250 tick on busy vCPUs only (NO_HZ_IDLE), hrtimers for sleeping tasks,
/// smp_call_function with call-function IPIs, and the interrupt handlers. It runs as the guest program of every vCPU
/// and reaches the interrupt controller only through <see cref="IGuestIrqChip"/>.
/// </summary>
/// <remarks>
/// System calls and kernel paths are charged with <see cref="Vcpu.Compute"/> inside the burst (they run with
/// preemption effectively off, as the short spinlocked sections they are); user-mode computation is
/// <see cref="Vcpu.RunWork"/>, which interrupts preempt (CONFIG_PREEMPT, arm64 defconfig, costs.md §4).
/// </remarks>
public sealed partial class GuestKernel : IGuestProgram, IGuestIrqHandlers
{
    /// <summary>arm64 defconfig HZ (kernel/Kconfig.hz default HZ_250; costs.md §4).</summary>
    public const int Hz = 250;

    private readonly RunQueue[] rqs;
    private readonly RunQueue.Totals totals;
    private readonly Action<GuestKernel, Vcpu> onAllOnline;
    private readonly Dictionary<DeviceIrq, IDeviceDriver> drivers = new();
    private int online;

    /// <summary>Set by the boot vCPU once it has initialised the interrupt controller and its own CPU: the
    /// secondaries are brought up after it (smp_init → PSCI CPU_ON), never while the distributor is half set up.</summary>
    private readonly GuestFlag bootCpuReady = new();
    private int nextTaskId;

    private readonly Counter ctxSwitches, wakeups, wakeupsRemote, wakeupsLocal, reschedIpis, preemptWakeup, preemptTick,
        idleEntries, newidlePulls, ticks, callFunctionCalls, hrtimerWakeups, forks, nohzKicks, wakelistQueued, wakelistIpis,
        callFunctionIpis, lineTransfersWakelist, wakeupsSync, wakeupsDelayed, wakeAffine, wakeWide, delayedDequeues;

    /// <param name="onAllOnline">Called once every vCPU has brought up its interrupt controller (smp_init done), on
    /// the last vCPU to come online: the workload creates its first tasks here.</param>
    /// <param name="periodicTick">False when something else drives the timer interrupts (trace replay).</param>
    /// <param name="config">The workload's kernel parameters (<see cref="KernelConfig.Specs"/>); the defaults when null.</param>
    public GuestKernel(VirtualMachine vm, IGuestIrqChip chip, Action<GuestKernel, Vcpu> onAllOnline, bool periodicTick = true,
        KernelConfig? config = null)
    {
        Config = config ?? KernelConfig.Default;
        Topology = new CpuTopology(vm.Vcpus.Count, Config.LlcSize);
        Vm = vm;
        Chip = chip;
        Costs = new GuestCosts(vm.Profile);
        this.onAllOnline = onAllOnline;
        PeriodicTick = periodicTick;
        TickPeriod = vm.Profile.FrequencyHz / Hz;
        Fair = Config.CreateFairClass(vm.Profile, vm.Vcpus.Count);
        rqs = new RunQueue[vm.Vcpus.Count];
        totals = new RunQueue.Totals(rqs.Length);
        for (int i = 0; i < rqs.Length; i++)
        {
            rqs[i] = new RunQueue(vm.Vcpus[i], totals, Fair);
            vm.Vcpus[i].GuestState = rqs[i];
            rqs[i].Curr = null; // every vCPU starts idle: the setter also sets its bit in the shared idle mask
        }

        var m = vm.Metrics;
        ctxSwitches = m.Get("guest_context_switches");
        wakeups = m.Get("guest_wakeups");
        wakeupsRemote = m.Get("guest_wakeups_remote");
        wakeupsLocal = m.Get("guest_wakeups_local");
        reschedIpis = m.Get("guest_resched_ipis_sent");
        preemptWakeup = m.Get("guest_preempt_wakeup");
        preemptTick = m.Get("guest_preempt_tick");
        idleEntries = m.Get("guest_idle_entries");
        newidlePulls = m.Get("guest_newidle_pulls");
        ticks = m.Get("guest_ticks");
        callFunctionCalls = m.Get("guest_call_function_calls");
        hrtimerWakeups = m.Get("guest_hrtimer_wakeups");
        forks = m.Get("guest_forks");
        nohzKicks = m.Get("guest_nohz_balance_kicks");
        wakelistQueued = m.Get("guest_ttwu_wakelist");
        wakelistIpis = m.Get("guest_ttwu_wakelist_ipis");
        callFunctionIpis = m.Get("guest_call_function_ipis_sent");
        lineTransfersWakelist = m.Get("line_transfers.wakelist");
        wakeupsSync = m.Get("guest_wakeups_sync");
        wakeupsDelayed = m.Get("guest_wakeups_delayed");
        wakeAffine = m.Get("guest_wake_affine");
        wakeWide = m.Get("guest_wake_wide");
        delayedDequeues = m.Get("guest_delayed_dequeues");
    }

    public VirtualMachine Vm { get; }
    public KernelConfig Config { get; }
    public CpuTopology Topology { get; }
    public IGuestIrqChip Chip { get; }
    public GuestCosts Costs { get; }
    public bool PeriodicTick { get; }
    public long TickPeriod { get; }

    /// <summary>The fair scheduling class every run queue uses.</summary>
    public FairClass Fair { get; }
    public int CpuCount => rqs.Length;

    public RunQueue Rq(int cpu) => rqs[cpu];
    public static RunQueue Rq(Vcpu cpu) => (RunQueue)cpu.GuestState!;

    /// <summary>A task of the kernel: gets its id (pid).</summary>
    public T Register<T>(T task) where T : GuestTask
    {
        task.Id = nextTaskId++;
        return task;
    }

    /// <summary>request_irq: <paramref name="driver"/> handles <paramref name="irq"/>.</summary>
    public void RequestIrq(DeviceIrq irq, IDeviceDriver driver) => drivers[irq] = driver;

    /// <summary>A system call or kernel path of <paramref name="cycles"/> on <paramref name="cpu"/>.</summary>
    public void Syscall(Vcpu cpu, long cycles) => cpu.Compute(cycles);

    // ---- IGuestProgram ------------------------------------------------------------------------------------------

    public void Start(Vcpu cpu)
    {
        if (cpu.Id.Value == 0)
        {
            Chip.InitBootCpu(cpu);
            BringUp(cpu);
            return;
        }
        // A secondary waits, interrupts masked, until the boot CPU has set up the controller (PSCI CPU_ON).
        cpu.IrqsMasked = true;
        cpu.SpinUntil(bootCpuReady);
    }

    /// <summary>secondary_start_kernel: the CPU's own interrupt-controller bring-up, then it is online. The last vCPU
    /// online (in time: secondaries start together once the boot CPU is ready) starts the workload.</summary>
    private void BringUp(Vcpu cpu)
    {
        Chip.InitCpu(cpu);
        cpu.IrqsMasked = false;
        var rq = Rq(cpu);
        rq.Online = true;
        if (cpu.Id.Value == 0) bootCpuReady.Set(cpu);
        if (++online == rqs.Length) onAllOnline(this, cpu);
        if (rq.Queued == 0) { EnterIdle(cpu, rq); return; }
        StartTick(cpu, rq);
        Schedule(cpu, rq);
        Dispatch(cpu, rq);
    }

    public void Resume(Vcpu cpu)
    {
        var rq = Rq(cpu);
        if (!rq.Online)
        {
            BringUp(cpu);
            return;
        }
        if (rq.Waiting is { } req)
        {
            // csd_lock_wait is over: every target ran the callback.
            rq.Waiting = null;
            req.Done.Clear();
            Dispatch(cpu, rq);
            return;
        }
        if (rq.InIdle)
        {
            // WFI returned and the interrupt that ended it was handled: the idle loop checks need_resched.
            if (rq.Queued == 0) { cpu.WaitForInterrupt(); return; }
            ExitIdle(cpu, rq);
            Schedule(cpu, rq);
            Dispatch(cpu, rq);
            return;
        }
        var curr = rq.Curr ?? throw new InvalidOperationException($"{cpu}: Resume with neither a task nor idle");
        if (cpu.WorkLeft > 0)
        {
            // preempt_schedule_irq: the tick or a reschedule IPI set need_resched while the task computed.
            curr.PendingWork = cpu.WorkLeft;
            Preempt(cpu, rq);
        }
        Dispatch(cpu, rq);
    }

    public void OnIrq(Vcpu cpu) => Chip.HandleIrq(cpu, this);
}
