using IrqBench.Machine.Costs;

namespace IrqBench.Workloads.Kernel;

/// <summary>
/// The Completely Fair Scheduler of kernels before v6.6: the task with the smallest vruntime runs; a woken task
/// keeps its vruntime but is placed no further left than half a latency period behind min_vruntime
/// (place_entity with GENTLE_FAIR_SLEEPERS); it preempts when its vruntime is behind the current task's by more than
/// the wakeup granularity (check_preempt_wakeup / wakeup_preempt_entity); the tick preempts a task that has run a
/// slice while others wait (check_preempt_tick).
/// </summary>
/// <remarks>Simplified: the slice is sysctl_sched_min_granularity (what sched_slice gives once more than
/// sched_nr_latency tasks share a queue), without sched_slice's share of the latency period for fewer tasks.</remarks>
public sealed class Cfs(CostProfile p, int cpus) : FairClass(p.NsToCycles(750_000) * TunableFactor(cpus))
{
    /// <summary>sysctl_sched_wakeup_granularity: 1 ms × the tunable factor.</summary>
    public long WakeupGranularity { get; } = p.NsToCycles(1_000_000) * TunableFactor(cpus);

    /// <summary>GENTLE_FAIR_SLEEPERS: half of sysctl_sched_latency (6 ms × the tunable factor).</summary>
    public long SleeperCredit { get; } = p.NsToCycles(6_000_000) * TunableFactor(cpus) / 2;

    internal override long TimelineKey(GuestTask t) => t.Vruntime;

    /// <summary>update_curr and update_min_vruntime: the queue's floor moves up to the smaller of the current task's
    /// vruntime and the leftmost waiting one's.</summary>
    internal override bool UpdateCurr(RunQueue rq, long now)
    {
        var t = rq.Curr;
        if (t is null) return false;
        long delta = now - t.ExecStart;
        if (delta > 0) t.Vruntime += delta;
        t.ExecStart = now;
        long floor = Math.Min(t.Vruntime, rq.First?.Vruntime ?? long.MaxValue);
        if (floor > rq.MinVruntime) rq.MinVruntime = floor;
        return false;
    }

    internal override void DequeueSleeper(RunQueue rq, GuestTask t) { }

    /// <summary>place_entity: a sleeper keeps its vruntime relative to its old queue's min_vruntime
    /// (migrate_task_rq_fair renormalises), but gets at most <see cref="SleeperCredit"/>. The current task is not
    /// charged first: its vruntime is projected where needed (<see cref="WakeupPreempt"/>).</summary>
    internal override bool PlaceWakee(RunQueue prev, RunQueue rq, GuestTask t, long now)
    {
        long lag = t.Vruntime - prev.MinVruntime;
        t.Vruntime = rq.MinVruntime + Math.Max(lag, -SleeperCredit);
        return false;
    }

    /// <summary>START_DEBIT: a child starts one slice behind min_vruntime, so that forking does not let children
    /// preempt.</summary>
    internal override bool PlaceNew(RunQueue rq, GuestTask t, long now)
    {
        t.Vruntime = rq.MinVruntime + Slice;
        return false;
    }

    /// <summary>wakeup_preempt_entity: the current task's vruntime as of <paramref name="now"/> is ahead of the
    /// wakee's by more than the wakeup granularity.</summary>
    internal override bool WakeupPreempt(RunQueue rq, GuestTask wakee, long now)
    {
        var curr = rq.Curr!;
        long currVruntime = curr.Vruntime + Math.Max(0, now - curr.ExecStart);
        return wakee.Vruntime + WakeupGranularity < currVruntime;
    }

    /// <summary>check_preempt_tick: the current task ran a whole slice since it was picked and others wait.</summary>
    internal override bool TickPreempt(RunQueue rq, long now, bool resched) => rq.Queued > 0 && now - rq.Curr!.SliceStart >= Slice;

    internal override GuestTask? PickNext(RunQueue rq) => rq.First;

    internal override void SetNext(RunQueue rq, GuestTask t, long now)
    {
        base.SetNext(rq, t, now);
        if (t.Vruntime > rq.MinVruntime) rq.MinVruntime = t.Vruntime;
    }

    /// <summary>migrate_task_rq_fair: the vruntime is carried relative to min_vruntime from one queue to the other.</summary>
    internal override void Migrate(RunQueue from, RunQueue to, GuestTask t)
    {
        t.Vruntime = t.Vruntime - from.MinVruntime + to.MinVruntime;
        if (t.Vruntime > to.MinVruntime) to.MinVruntime = t.Vruntime;
    }
}
