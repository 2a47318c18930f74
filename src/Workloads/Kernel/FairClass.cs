namespace IrqBench.Workloads.Kernel;

/// <summary>
/// The fair scheduling class (kernel/sched/fair.c, SCHED_NORMAL at nice 0) as one kernel generation implements it:
/// how a task is placed when it wakes or is forked, how the current task is charged for its time, which queued
/// task runs next, and when a wake-up or the tick preempts. <see cref="RunQueue"/> keeps the queued tasks ordered
/// by <see cref="TimelineKey"/>; the current task is not in that order (set_next_entity takes it out of the tree).
/// </summary>
/// <remarks>All tasks have the nice-0 weight, so calc_delta_fair is the identity and every "virtual" time is in
/// cycles. <see cref="Cfs"/> is the class before v6.6, <see cref="Eevdf"/> the one of v6.6–v6.12.</remarks>
public abstract class FairClass(long slice)
{
    /// <summary>sysctl_sched_base_slice (EEVDF) / sysctl_sched_min_granularity (CFS): 0.75 ms × (1 + ilog2(min(ncpus,
    /// 8))), the LOG scaling of sysctl_sched_tunable_scaling (get_update_sysctl_factor), in cycles.</summary>
    public long Slice { get; } = slice;

    /// <summary>The factor get_update_sysctl_factor applies to the scheduler tunables: 1 + ilog2(min(ncpus, 8)).</summary>
    public static int TunableFactor(int cpus) => 1 + (int)Math.Log2(Math.Min(cpus, 8));

    /// <summary>What the run queue's tree is sorted by while the task waits in it.</summary>
    internal abstract long TimelineKey(GuestTask t);

    /// <summary>update_curr: charges the current task of <paramref name="rq"/> the time since its exec_start. True
    /// when that asks for a reschedule (EEVDF's update_deadline at the end of a slice).</summary>
    internal abstract bool UpdateCurr(RunQueue rq, long now);

    /// <summary>dequeue_entity of the current task going to sleep (after <see cref="UpdateCurr"/>).</summary>
    internal abstract void DequeueSleeper(RunQueue rq, GuestTask t);

    /// <summary>enqueue_entity's placement of a woken task about to join <paramref name="rq"/> (place_entity, after
    /// the update_curr that precedes it where the class does one); <paramref name="prev"/> is the queue it last ran
    /// on. True when that update_curr asks for a reschedule.</summary>
    internal abstract bool PlaceWakee(RunQueue prev, RunQueue rq, GuestTask t, long now);

    /// <summary>The first placement of a forked task on <paramref name="rq"/> (wake_up_new_task); true as for
    /// <see cref="PlaceWakee"/>.</summary>
    internal abstract bool PlaceNew(RunQueue rq, GuestTask t, long now);

    /// <summary>check_preempt_wakeup: <paramref name="wakee"/> was just enqueued on <paramref name="rq"/>, whose
    /// current task runs; true when it should be preempted. <paramref name="now"/> is the clock of the CPU deciding
    /// (the waker's on a remote enqueue).</summary>
    internal abstract bool WakeupPreempt(RunQueue rq, GuestTask wakee, long now);

    /// <summary>The tick's preemption check on the current task (after <see cref="UpdateCurr"/>, whose result is
    /// <paramref name="resched"/>): true when it must make way for a queued task.</summary>
    internal abstract bool TickPreempt(RunQueue rq, long now, bool resched);

    /// <summary>pick_next_entity with the previous task already back in the tree (or gone): the queued task to run
    /// next, still queued; null when none is.</summary>
    internal abstract GuestTask? PickNext(RunQueue rq);

    /// <summary>set_next_entity: <paramref name="t"/>, just taken from the tree, becomes current at <paramref name="now"/>.</summary>
    internal virtual void SetNext(RunQueue rq, GuestTask t, long now) => t.ExecStart = t.SliceStart = now;

    /// <summary>dequeue_entity of a sleeper (the current task, after <see cref="UpdateCurr"/>) under DELAY_DEQUEUE: true
    /// when it stays queued, sched_delayed, instead of leaving (EEVDF in v6.12: when it is not eligible). A class
    /// without DELAY_DEQUEUE never delays.</summary>
    internal virtual bool DelaysDequeue(RunQueue rq, GuestTask t) => false;

    /// <summary>requeue_delayed_entity: a delayed task is woken on the queue it never left.</summary>
    internal virtual void RequeueDelayed(RunQueue rq, GuestTask t) =>
        throw new InvalidOperationException($"{GetType().Name} has no delayed dequeue ({t})");

    /// <summary>dequeue_entity with DEQUEUE_DELAYED: pick_next_entity picked a delayed task, which now leaves the queue
    /// (still queued during the call).</summary>
    internal virtual void DequeueDelayed(RunQueue rq, GuestTask t) =>
        throw new InvalidOperationException($"{GetType().Name} has no delayed dequeue ({t})");

    /// <summary>__schedule picked the task that was running (prev == next): no context switch. Before v6.6 the
    /// simple path of pick_next_task_fair still put it back and set it again (<see cref="SetNext"/>), which is the
    /// default; EEVDF overrides it.</summary>
    internal virtual void Repick(RunQueue rq, GuestTask t, long now) => SetNext(rq, t, now);

    /// <summary>A queued task moves from <paramref name="from"/> to <paramref name="to"/> by load balancing
    /// (detach_task / attach_task); it is out of both trees during the call.</summary>
    internal abstract void Migrate(RunQueue from, RunQueue to, GuestTask t);
}
