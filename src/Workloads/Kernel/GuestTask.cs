using IrqBench.Machine.Vcpus;

namespace IrqBench.Workloads.Kernel;

/// <summary>A task's scheduler state (TASK_RUNNING on a CPU or queued, TASK_INTERRUPTIBLE, TASK_WAKING on a wake
/// list, EXIT_DEAD).</summary>
public enum TaskState { New, Runnable, Running, Blocked, Waking, Exited }

/// <summary>
/// A task (struct task_struct) of the guest: a program that the scheduler runs on a vCPU. <see cref="Run"/> is
/// called whenever the task is current and its previous computation is done; it performs its system calls through
/// the <see cref="GuestKernel"/> (which charges their cost on the vCPU and may wake other tasks) and says what it does
/// next.
/// </summary>
public abstract class GuestTask(string name, int mm)
{
    public string Name { get; } = name;

    /// <summary>The address space: tasks of one process (threads) share it, and switching between them costs no
    /// switch_mm.</summary>
    public int Mm { get; } = mm;

    public int Id { get; internal set; } = -1;
    public TaskState State { get; internal set; } = TaskState.New;

    /// <summary>task_cpu(): the vCPU it runs or is queued on, or last ran on.</summary>
    public int Cpu { get; internal set; }

    /// <summary>How many times this task was woken from a block, and how many times it was preempted.</summary>
    public long Wakeups { get; internal set; }
    public long Preemptions { get; internal set; }

    // ---- fair-class bookkeeping (struct sched_entity, kernel/sched/fair.c), owned by the scheduler ----
    internal long Vruntime;          // on the queue of Cpu (while blocked: of the queue it left)
    internal long TimelineKey;       // the key it sits in the run queue's tree with (fixed while queued)
    internal long EnqueueSeq;        // orders equal keys by enqueue
    internal long Deadline;          // EEVDF: se->deadline, the virtual deadline
    internal long Vlag;              // EEVDF: se->vlag, the lag kept over a sleep or a migration
    internal long PickedDeadline;    // EEVDF: the deadline it was last picked with (RUN_TO_PARITY)
    internal long ExecStart;         // se->exec_start
    internal long SliceStart;        // when it was last picked (for the tick's slice check)
    internal long PendingWork = -1;  // preempted computation to resume with, or -1
    internal long BlockSeq;          // bumped on every block; stale wait-queue entries carry an older one
    internal bool Delayed;           // EEVDF: se->sched_delayed (DELAY_DEQUEUE), asleep but still queued
    internal SchedAvg Avg;           // se->avg: PELT load
    internal int RecentUsedCpu;      // p->recent_used_cpu (select_idle_sibling)
    internal readonly WakeeStats Wakee = new(); // last_wakee, wakee_flips, wakee_flip_decay_ts (record_wakee)

    /// <summary>se->avg.load_avg: the task's PELT load (0..1024 for nice 0), as last updated.</summary>
    public ulong LoadAvg => Avg.LoadAvg;

    /// <summary>p->wakee_flips: how often this task, waking others, woke a different one than the last time (halved
    /// once a second).</summary>
    public uint WakeeFlips => Wakee.Flips;

    /// <summary>The task's program. Called on <paramref name="cpu"/> with the task current; must return what it does
    /// next. Blocking: register on a <see cref="WaitQueue"/> first, then return <see cref="TaskStep.Block"/>.</summary>
    protected internal abstract TaskStep Run(GuestKernel k, Vcpu cpu);

    public override string ToString() => $"{Name}#{Id}";
}

/// <summary>What a task does after a <see cref="GuestTask.Run"/>.</summary>
public readonly record struct TaskStep(TaskStepKind Kind, long Cycles)
{
    /// <summary>User-mode computation (preemptible); <see cref="GuestTask.Run"/> is called again when it is done.</summary>
    public static TaskStep Compute(long cycles) => new(TaskStepKind.Compute, Math.Max(0, cycles));

    /// <summary>Sleep (schedule() with the task TASK_INTERRUPTIBLE) until a wake-up.</summary>
    public static TaskStep Block => new(TaskStepKind.Block, 0);

    /// <summary>The task is gone (its exit cost was charged by the caller).</summary>
    public static TaskStep Exit => new(TaskStepKind.Exit, 0);

    /// <summary>smp_call_function(..., wait=1) to every other online vCPU: send call-function IPIs and spin until
    /// all have run the callback; <see cref="GuestTask.Run"/> is called again afterwards.</summary>
    public static TaskStep CallFunctionOnOthers => new(TaskStepKind.CallFunctionWait, 0);
}

public enum TaskStepKind { Compute, Block, Exit, CallFunctionWait }

/// <summary>record_wakee's fields of a task_struct: whom it woke last, how often that changed (wakee_flips), and
/// when the count was last halved (wakee_flip_decay_ts, in jiffies).</summary>
internal sealed class WakeeStats
{
    public object? LastWakee;
    public uint Flips;
    public long DecayTs;

    /// <summary>dup_task_struct: a child starts with its parent's copy.</summary>
    public void CopyFrom(WakeeStats parent)
    {
        LastWakee = parent.LastWakee;
        Flips = parent.Flips;
        DecayTs = parent.DecayTs;
    }
}
