using IrqBench.Machine.Costs;

namespace IrqBench.Workloads.Kernel;

/// <summary>
/// The costs of guest kernel work (section "guest" of a profile), read once per run. Each is a primitive path of the
/// kernel (a context switch, one pipe_write of a small message, the tick handler), never a composite result: a
/// hackbench time or an IPI rate emerges from how often the model takes these paths.
/// </summary>
public sealed class GuestCosts
{
    public const string Section = "guest";

    public static readonly IReadOnlyList<PrimitiveSpec> Specs =
    [
        new(Section, "context_switch", "__schedule + context_switch + finish_task_switch between two tasks of one mm (pick_next_task, register and FP state)"),
        new(Section, "switch_mm", "extra for switching address space: check_and_switch_context (ASID, TTBR0) and the TLB/cache refill that follows"),
        new(Section, "ttwu", "try_to_wake_up activating the task from the waker: select_task_rq, enqueue_task, check_preempt_curr"),
        new(Section, "ttwu_remote", "extra when the waker activates the task on another vCPU's run queue: its lock and cache lines"),
        new(Section, "ttwu_queue_wakelist", "try_to_wake_up on the waker when the wake-up goes through the wake list: select_task_rq and __ttwu_queue_wakelist's stores, no enqueue (the lines it takes are machine.line_transfer)"),
        new(Section, "sched_ttwu_pending", "the target's sched_ttwu_pending once per flush: taking the wake list, rq_lock, update_rq_clock"),
        new(Section, "ttwu_runnable", "try_to_wake_up of a task still queued with sched_delayed (DELAY_DEQUEUE): ttwu_runnable's rq lock, requeue_delayed_entity and wakeup_preempt, without select_task_rq or the tree insert"),
        new(Section, "ttwu_do_activate", "the target's ttwu_do_activate of one task from its wake list: enqueue_task_fair, wakeup_preempt"),
        new(Section, "sched_ipi", "the reschedule IPI handler: scheduler_ipi (since v5.8 the wake list is flushed by the call-function IPI)"),
        new(Section, "call_function_ipi", "the call-function IPI handler: flush_smp_call_function_queue running one csd callback"),
        new(Section, "irq_work_ipi", "the irq_work IPI handler: irq_work_run"),
        new(Section, "tick", "the periodic tick: tick_sched_timer, update_process_times, scheduler_tick, run_local_timers"),
        new(Section, "hrtimer_expire", "hrtimer_interrupt expiring one sleeping task's timer (hrtimer_wakeup)"),
        new(Section, "idle_enter", "do_idle entry: tick_nohz_idle_enter stopping the tick, cpuidle governor select, before WFI"),
        new(Section, "idle_exit", "leaving idle: tick_nohz_idle_exit restarting the tick, idle time accounting"),
        new(Section, "newidle_balance", "newidle_balance: a vCPU about to idle looks for the busiest run queue and pulls a task"),
        new(Section, "pipe_write", "write(2) of a small message to a pipe: syscall entry/exit, pipe_write, the lock, merging into the last page"),
        new(Section, "pipe_read", "read(2) of a small message from a pipe: syscall entry/exit, pipe_read"),
        new(Section, "unix_stream_write", "write(2) on an AF_UNIX stream socket: unix_stream_sendmsg, skb allocation, queueing on the peer"),
        new(Section, "unix_stream_read", "read(2) on an AF_UNIX stream socket: unix_stream_read_generic, skb consumption and free"),
        new(Section, "copy_per_kib", "copy_to_user/copy_from_user of 1 KiB (charged pro rata for the message size)"),
        new(Section, "poll_wait", "poll(2) on one fd that is not ready: syscall, poll_wait registration"),
        new(Section, "fork_process", "fork(2) of a process: copy_process, dup_mm of a small address space, wake_up_new_task"),
        new(Section, "fork_thread", "clone(2) of a thread (CLONE_VM): copy_process without dup_mm"),
        new(Section, "exec", "execve(2) of a compiler or linker: binary loading, new mm, dynamic linking, first page faults"),
        new(Section, "exit_process", "exit of a process: do_exit with exit_mmap of its address space, do_notify_parent"),
        new(Section, "exit_thread", "exit of a thread: do_exit without an address space to tear down"),
        new(Section, "wait4", "wait4(2) reaping one exited child: release_task"),
        new(Section, "blk_submit", "submitting one read: submit_bio, blk-mq, virtio_queue_rq filling the virtqueue (the notify itself is an MMIO write)"),
        new(Section, "blk_complete", "the virtio-blk interrupt handler: vring_interrupt, blk_mq_complete_request, bio completion"),
        new(Section, "irq_set_affinity", "writing /proc/irq/N/smp_affinity: irq_set_affinity and the chip's affinity callback (its own accesses are charged by the chip)"),
        new(Section, "hackbench_loop", "hackbench's own user-space work per message between two syscalls (loop, index arithmetic)"),
    ];

    public GuestCosts(CostProfile p)
    {
        ContextSwitch = p.Get(Section, "context_switch");
        SwitchMm = p.Get(Section, "switch_mm");
        Ttwu = p.Get(Section, "ttwu");
        TtwuRemote = p.Get(Section, "ttwu_remote");
        TtwuQueueWakelist = p.Get(Section, "ttwu_queue_wakelist");
        SchedTtwuPending = p.Get(Section, "sched_ttwu_pending");
        TtwuDoActivate = p.Get(Section, "ttwu_do_activate");
        TtwuRunnable = p.Get(Section, "ttwu_runnable");
        SchedIpi = p.Get(Section, "sched_ipi");
        CallFunctionIpi = p.Get(Section, "call_function_ipi");
        IrqWorkIpi = p.Get(Section, "irq_work_ipi");
        Tick = p.Get(Section, "tick");
        HrtimerExpire = p.Get(Section, "hrtimer_expire");
        IdleEnter = p.Get(Section, "idle_enter");
        IdleExit = p.Get(Section, "idle_exit");
        NewidleBalance = p.Get(Section, "newidle_balance");
        PipeWrite = p.Get(Section, "pipe_write");
        PipeRead = p.Get(Section, "pipe_read");
        UnixStreamWrite = p.Get(Section, "unix_stream_write");
        UnixStreamRead = p.Get(Section, "unix_stream_read");
        CopyPerKib = p.Get(Section, "copy_per_kib");
        PollWait = p.Get(Section, "poll_wait");
        ForkProcess = p.Get(Section, "fork_process");
        ForkThread = p.Get(Section, "fork_thread");
        Exec = p.Get(Section, "exec");
        ExitProcess = p.Get(Section, "exit_process");
        ExitThread = p.Get(Section, "exit_thread");
        Wait4 = p.Get(Section, "wait4");
        BlkSubmit = p.Get(Section, "blk_submit");
        BlkComplete = p.Get(Section, "blk_complete");
        IrqSetAffinity = p.Get(Section, "irq_set_affinity");
        HackbenchLoop = p.Get(Section, "hackbench_loop");
    }

    public long ContextSwitch { get; }
    public long SwitchMm { get; }
    public long Ttwu { get; }
    public long TtwuRemote { get; }
    public long TtwuQueueWakelist { get; }
    public long SchedTtwuPending { get; }
    public long TtwuDoActivate { get; }
    public long TtwuRunnable { get; }
    public long SchedIpi { get; }
    public long CallFunctionIpi { get; }
    public long IrqWorkIpi { get; }
    public long Tick { get; }
    public long HrtimerExpire { get; }
    public long IdleEnter { get; }
    public long IdleExit { get; }
    public long NewidleBalance { get; }
    public long PipeWrite { get; }
    public long PipeRead { get; }
    public long UnixStreamWrite { get; }
    public long UnixStreamRead { get; }
    public long CopyPerKib { get; }
    public long PollWait { get; }
    public long ForkProcess { get; }
    public long ForkThread { get; }
    public long Exec { get; }
    public long ExitProcess { get; }
    public long ExitThread { get; }
    public long Wait4 { get; }
    public long BlkSubmit { get; }
    public long BlkComplete { get; }
    public long IrqSetAffinity { get; }
    public long HackbenchLoop { get; }

    /// <summary>The copy cost of <paramref name="bytes"/>, pro rata of <see cref="CopyPerKib"/>.</summary>
    public long Copy(long bytes) => bytes * CopyPerKib / 1024;
}
