using IrqBench.Machine.Vcpus;

namespace IrqBench.Workloads.Kernel;

/// <summary>
/// One vCPU's run queue (struct rq with its cfs_rq) and the per-CPU state around it: the current task, the
/// runnable tasks in the tree ordered as the fair class says (<see cref="FairClass.TimelineKey"/>),
/// TIF_NEED_RESCHED, the tick and the hrtimers that program this vCPU's timer.
/// </summary>
public sealed class RunQueue(Vcpu cpu, RunQueue.Totals totals, FairClass fair)
{
    /// <summary>Counts shared by all run queues (what rd->overload tells newidle balancing).</summary>
    public sealed class Totals(int cpus)
    {
        /// <summary>Queued tasks that can run (sched_delayed ones not counted: there is nothing to pull in them).</summary>
        public int Queued;
        /// <summary>One bit per idle vCPU (the idle_cpu() test select_idle_cpu makes), kept as run queues change.</summary>
        public readonly ulong[] IdleMask = new ulong[(cpus + 63) / 64];

        /// <summary>The first idle vCPU of [<paramref name="first"/>, first + <paramref name="count"/>) at or after
        /// <paramref name="start"/>, wrapping around within that span; -1 when none.</summary>
        public int FindIdle(int start, int first, int count)
        {
            start = first + ((start - first) % count + count) % count;
            int found = FirstSet(start, first + count);
            return found >= 0 ? found : FirstSet(first, start);
        }

        /// <summary>The lowest idle vCPU in [<paramref name="from"/>, <paramref name="to"/>), or -1.</summary>
        private int FirstSet(int from, int to)
        {
            for (int i = from; i < to;)
            {
                ulong bits = IdleMask[i >> 6] & (~0UL << (i & 63));
                if (bits != 0)
                {
                    int c = (i & ~63) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                    return c < to ? c : -1;
                }
                i = (i & ~63) + 64;
            }
            return -1;
        }
    }

    /// <summary>The CPU has brought up its interrupt controller and runs tasks (set_cpu_online).</summary>
    public bool Online { get; set; }

    /// <summary>cfs_rq->tasks_timeline: the queued tasks by their key, ties in enqueue order.</summary>
    private readonly SortedSet<GuestTask> queued = new(Comparer<GuestTask>.Create(static (a, b) =>
        a.TimelineKey != b.TimelineKey ? a.TimelineKey.CompareTo(b.TimelineKey) : a.EnqueueSeq.CompareTo(b.EnqueueSeq)));
    private readonly PriorityQueue<GuestTask?, (long Deadline, long Seq)> hrtimers = new();
    private long seq;

    public Vcpu Cpu { get; } = cpu;
    public int Index => Cpu.Id.Value;

    private GuestTask? curr;

    /// <summary>rq->curr; null while the idle task runs.</summary>
    public GuestTask? Curr
    {
        get => curr;
        internal set { curr = value; UpdateIdle(); }
    }

    /// <summary>TIF_NEED_RESCHED of the current task (or of the idle task).</summary>
    public bool NeedResched { get; internal set; }

    /// <summary>The vCPU is in the idle loop (between idle entry and idle exit).</summary>
    public bool InIdle { get; internal set; }

    /// <summary>rq->idle_stamp: when the vCPU last went idle (fork placement prefers the most recently idled).</summary>
    public long IdleStamp { get; internal set; }

    /// <summary>cfs_rq->min_vruntime: monotonic, the floor for woken tasks' placement.</summary>
    public long MinVruntime { get; internal set; }

    /// <summary>The fair class whose order the tree keeps.</summary>
    public FairClass Fair { get; } = fair;

    /// <summary>The tasks in the tree, sched_delayed ones included (cfs_rq->nr_running without the current task).</summary>
    public int Queued => queued.Count;

    /// <summary>Tasks in the tree that sleep with sched_delayed (DELAY_DEQUEUE): they count in V and in nr_running
    /// until picked or woken.</summary>
    public int Delayed { get; private set; }

    /// <summary>Queued tasks waiting to run (not delayed).</summary>
    public int Runnable => queued.Count - Delayed;

    /// <summary>rq->nr_running: the current task and the queued ones, delayed ones included (as in v6.12).</summary>
    public int NrRunning => queued.Count + (Curr is null ? 0 : 1);

    /// <summary>idle_cpu(): the idle task runs, nothing is queued and no wake-up waits on the wake list
    /// (rq->ttwu_pending makes it busy).</summary>
    public bool IsIdle => Curr is null && queued.Count == 0 && !ttwuPending;

    private bool ttwuPending;

    /// <summary>rq->ttwu_pending: wake-ups wait in <see cref="CallSingle"/> for sched_ttwu_pending.</summary>
    internal bool TtwuPending
    {
        get => ttwuPending;
        set { ttwuPending = value; UpdateIdle(); }
    }

    // ---- the tick (NO_HZ_IDLE) ----
    internal bool TickRunning;
    internal long NextTick;
    internal long ProgrammedDeadline = -1; // -1: unknown, write the timer
    public long Ticks { get; internal set; }

    // ---- a pending smp_call_function (this vCPU waiting for others) ----
    internal CallFunctionRequest? Waiting;
    internal readonly CallFunctionRequest Request = new();
    internal NohzFlags IlbFlags; // nohz_flags(cpu): the idle-balance work a kick on its way here asks for

    /// <summary>The user address space last loaded here (the idle task borrows it: lazy TLB).</summary>
    internal int LastMm = -1;
    /// <summary>This CPU's call_single_queue: csds and wake-list entries waiting for its call-function IPI.</summary>
    internal readonly CallSingleQueue CallSingle = new();

    /// <summary>__enqueue_entity: <paramref name="t"/> joins the tree at its key.</summary>
    internal void Enqueue(GuestTask t)
    {
        t.State = TaskState.Runnable;
        Insert(t);
    }

    /// <summary>put_prev_entity of a sleeper that dequeue_entity delayed: it goes back into the tree, sched_delayed,
    /// while its state stays blocked.</summary>
    internal void EnqueueDelayed(GuestTask t)
    {
        t.Delayed = true;
        Insert(t);
    }

    /// <summary>clear_delayed of a queued task woken by ttwu_runnable: it is an ordinary runnable task again.</summary>
    internal void ClearDelayed(GuestTask t)
    {
        if (!t.Delayed || !queued.Contains(t)) throw new InvalidOperationException($"{t} is not delayed on {Cpu}");
        t.Delayed = false;
        t.State = TaskState.Runnable;
        Delayed--;
        totals.Queued++;
    }

    private void Insert(GuestTask t)
    {
        t.Cpu = Index;
        t.TimelineKey = Fair.TimelineKey(t);
        t.EnqueueSeq = seq++;
        queued.Add(t);
        OnEnqueued(t);
    }

    /// <summary>__dequeue_entity: <paramref name="t"/> leaves the tree (to run, or to move elsewhere).</summary>
    internal void Dequeue(GuestTask t)
    {
        if (!queued.Remove(t)) throw new InvalidOperationException($"{t} is not queued on {Cpu}");
        OnDequeued(t);
    }

    /// <summary>The leftmost queued task (__pick_first_entity), or null.</summary>
    internal GuestTask? First => queued.Count == 0 ? null : queued.Min;

    /// <summary>The queued tasks in tree order.</summary>
    internal SortedSet<GuestTask> Timeline => queued;

    /// <summary>What detach_one_task takes for newidle balancing: the runnable queued task that would run last here
    /// (a delayed one is asleep: nothing to pull); still queued.</summary>
    internal GuestTask? LastRunnable()
    {
        if (Runnable == 0) return null;
        foreach (var t in queued.Reverse())
            if (!t.Delayed) return t;
        return null;
    }

    /// <summary>The queued tasks' vruntimes summed (cfs_rq->avg_vruntime without the min_vruntime offset, all weights
    /// nice 0): what avg_vruntime and entity_eligible add the current task to.</summary>
    internal long QueuedVruntimeSum { get; private set; }

    /// <summary>EEVDF's V for an empty queue: the last average it had.</summary>
    internal long ZeroVruntime;

    private void OnEnqueued(GuestTask t)
    {
        QueuedVruntimeSum += t.Vruntime;
        if (t.Delayed) Delayed++;
        else totals.Queued++;
        UpdateIdle();
    }

    private void OnDequeued(GuestTask t)
    {
        QueuedVruntimeSum -= t.Vruntime;
        if (t.Delayed) Delayed--;
        else totals.Queued--;
        UpdateIdle();
    }

    // ---- load tracking (PELT) and record_wakee's state of the idle task ----

    /// <summary>cfs_rq->avg: the queue's load signal, the sum of its entities' loads, blocked ones included.</summary>
    internal SchedAvg Avg;

    /// <summary>cfs_rq->removed.load_avg: loads of tasks that left while asleep (migrated at wake-up, or exited),
    /// subtracted at the queue's next update.</summary>
    internal ulong RemovedLoad;

    /// <summary>cfs_rq->removed.util_avg, likewise.</summary>
    internal ulong RemovedUtil;

    /// <summary>record_wakee's bookkeeping of this CPU's idle task, the current task of an interrupt on an idle CPU.</summary>
    internal readonly WakeeStats IdleWakee = new();

    private void UpdateIdle()
    {
        ref ulong w = ref totals.IdleMask[Index >> 6];
        if (IsIdle) w |= 1UL << (Index & 63); else w &= ~(1UL << (Index & 63));
    }

    // ---- hrtimers of sleeping tasks on this vCPU ----
    internal void AddHrtimer(GuestTask? t, long deadline) => hrtimers.Enqueue(t, (deadline, seq++));
    internal long NextHrtimer => hrtimers.TryPeek(out _, out var k) ? k.Deadline : long.MaxValue;
    /// <summary>Takes the earliest expired hrtimer: false when none; <paramref name="sleeper"/> is null for a timer
    /// that wakes nobody.</summary>
    internal bool PopExpiredHrtimer(long now, out GuestTask? sleeper)
    {
        sleeper = null;
        if (!hrtimers.TryPeek(out _, out var k) || k.Deadline > now) return false;
        sleeper = hrtimers.Dequeue();
        return true;
    }
}

/// <summary>nohz_flags of a kicked idle CPU (NOHZ_STATS_KICK, NOHZ_BALANCE_KICK).</summary>
[Flags]
internal enum NohzFlags { None = 0, Stats = 1, Balance = 2 }

/// <summary>A call_single_data shared by the targets of one smp_call_function: the last one to run the callback
/// releases the waiting sender (csd_unlock).</summary>
internal sealed class CallFunctionRequest(bool wait = true)
{
    /// <summary>smp_call_function_single(..., wait=0): nobody waits for it.</summary>
    public static readonly CallFunctionRequest NoWait = new(wait: false);

    /// <summary>The nohz idle-balance kick's csd (nohz_csd_func).</summary>
    public static readonly CallFunctionRequest IdleBalance = new(wait: false);

    public readonly bool Wait = wait;
    public readonly GuestFlag Done = new();
    public int Remaining;
}
