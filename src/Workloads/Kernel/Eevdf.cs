using IrqBench.Machine.Costs;

namespace IrqBench.Workloads.Kernel;

/// <summary>
/// EEVDF, the fair class of v6.6–v6.12 (kernel/sched/fair.c): every task has a lag (how much service it is owed
/// against the queue's weighted average vruntime V, avg_vruntime) and a virtual deadline one base slice after its
/// vruntime. A task is eligible when its vruntime is not past V (entity_eligible); the eligible task with the
/// earliest deadline runs (pick_eevdf). A task keeps its lag over a sleep (update_entity_lag at dequeue, PLACE_LAG at
/// enqueue); the current task gets a new deadline, and is rescheduled, each time it uses up its slice
/// (update_deadline); a wake-up preempts when the wakee is what pick_eevdf would now choose
/// (check_preempt_wakeup_fair); and under RUN_TO_PARITY the current task, while eligible, keeps the CPU until its
/// slice is used up.
/// </summary>
/// <remarks>
/// v6.12's DELAY_DEQUEUE with DELAY_ZERO (<see cref="DelayDequeue"/>): a task that sleeps while not eligible stays
/// in the tree, and in V, as sched_delayed until pick_eevdf picks it (then it leaves, its positive lag zeroed) or a
/// wake-up finds it there (ttwu_runnable → requeue_delayed_entity: a positive lag is zeroed and the task placed
/// anew). Simplified: nice 0 only (so V is the plain mean and calc_delta_fair the identity); PLACE_REL_DEADLINE and
/// custom slices (PREEMPT_SHORT) are not modelled; NEXT_BUDDY is off as by default. Eligibility is computed exactly
/// as the kernel does (Σv ≥ v·n, no division); V itself is floored.
/// </remarks>
public sealed class Eevdf(CostProfile p, int cpus, bool runToParity = true, bool delayDequeue = true)
    : FairClass(p.NsToCycles(750_000) * TunableFactor(cpus))
{
    /// <summary>SCHED_FEAT(DELAY_DEQUEUE) and SCHED_FEAT(DELAY_ZERO), both on by default since v6.12.</summary>
    public bool DelayDequeue { get; } = delayDequeue;

    /// <summary>TICK_NSEC at HZ=250: the floor of the lag clamp.</summary>
    private readonly long tick = p.NsToCycles(1e9 / GuestKernel.Hz);

    /// <summary>SCHED_FEAT(RUN_TO_PARITY), on by default.</summary>
    public bool RunToParity { get; } = runToParity;

    /// <summary>Since v6.8 the tree is sorted by virtual deadline (v6.6–v6.7 sort by vruntime and search a
    /// min_deadline heap: the same choice).</summary>
    internal override long TimelineKey(GuestTask t) => t.Deadline;

    /// <summary>avg_vruntime: the mean vruntime of the queued tasks and the current one; an empty queue keeps the
    /// last value it had (the kernel returns min_vruntime there: with nobody to compare with only continuity
    /// matters).</summary>
    internal static long AvgVruntime(RunQueue rq)
    {
        var (sum, n) = Load(rq);
        return n == 0 ? rq.ZeroVruntime : FloorDiv(sum, n); // floored, as avg_vruntime's "sign flips effective floor"
    }

    /// <summary>entity_eligible / vruntime_eligible: V ≥ v, as Σv ≥ v·n.</summary>
    internal static bool Eligible(RunQueue rq, GuestTask t)
    {
        var (sum, n) = Load(rq);
        return (Int128)sum >= (Int128)t.Vruntime * n;
    }

    private static (long Sum, long N) Load(RunQueue rq) => rq.Curr is { } c
        ? (rq.QueuedVruntimeSum + c.Vruntime, rq.Queued + 1)
        : (rq.QueuedVruntimeSum, rq.Queued);

    /// <summary>update_curr then update_deadline: a current task whose vruntime reached its deadline gets a new one a
    /// slice later and, if anyone else is on the queue, is rescheduled.</summary>
    internal override bool UpdateCurr(RunQueue rq, long now)
    {
        var curr = rq.Curr;
        if (curr is null) return false;
        long delta = now - curr.ExecStart;
        if (delta <= 0) return false;
        curr.ExecStart = now;
        curr.Vruntime += delta;
        rq.ZeroVruntime = AvgVruntime(rq);
        if (curr.Vruntime < curr.Deadline) return false;
        curr.Deadline = curr.Vruntime + Slice;
        return rq.NrRunning > 1;
    }

    /// <summary>update_entity_lag: the sleeper's lag V − v (V still counting it), clamped to the larger of two slices
    /// and a tick.</summary>
    internal override void DequeueSleeper(RunQueue rq, GuestTask t) => t.Vlag = Lag(AvgVruntime(rq), t);

    private long Lag(long avg, GuestTask t)
    {
        long limit = Math.Max(2 * Slice, tick);
        return Math.Clamp(avg - t.Vruntime, -limit, limit);
    }

    /// <summary>dequeue_entity's DELAY_DEQUEUE test on the current task going to sleep: it stays queued when it is not
    /// eligible (V, with it counted, is left of its vruntime: it has had more than its share).</summary>
    internal override bool DelaysDequeue(RunQueue rq, GuestTask t) => DelayDequeue && !Eligible(rq, t);

    /// <summary>requeue_delayed_entity with DELAY_ZERO: the lag is taken afresh (V counting the task); a positive lag
    /// — it became eligible while delayed — is dropped and the task placed at V of the others with a fresh
    /// deadline; a negative lag leaves it where it is.</summary>
    internal override void RequeueDelayed(RunQueue rq, GuestTask t)
    {
        t.Vlag = Lag(AvgVruntime(rq), t);
        if (t.Vlag <= 0) return;
        rq.Dequeue(t);
        t.Vlag = 0;
        Place(rq, t, 0, Slice);
        rq.EnqueueDelayed(t);
    }

    /// <summary>dequeue_entity(DEQUEUE_DELAYED) → update_entity_lag while still queued, then
    /// finish_delayed_dequeue_entity: DELAY_ZERO drops a positive lag (a picked task is eligible, so its lag is never
    /// negative here).</summary>
    internal override void DequeueDelayed(RunQueue rq, GuestTask t)
    {
        t.Vlag = Lag(AvgVruntime(rq), t);
        if (t.Vlag > 0) t.Vlag = 0;
    }

    /// <summary>enqueue_entity: update_curr, then place_entity with PLACE_LAG — the wakee keeps its lag, scaled by
    /// (n+1)/n so that adding it does not move V and eat the lag — and a deadline one slice on.</summary>
    internal override bool PlaceWakee(RunQueue prev, RunQueue rq, GuestTask t, long now)
    {
        bool resched = UpdateCurr(rq, now);
        Place(rq, t, t.Vlag, Slice);
        return resched;
    }

    /// <summary>wake_up_new_task with ENQUEUE_INITIAL (v6.11+): no lag, and half a slice to the first deadline
    /// (PLACE_DEADLINE_INITIAL), so that a new task gets in quickly but cannot hog.</summary>
    internal override bool PlaceNew(RunQueue rq, GuestTask t, long now)
    {
        bool resched = UpdateCurr(rq, now);
        t.Vlag = 0;
        Place(rq, t, 0, Slice / 2);
        return resched;
    }

    private static void Place(RunQueue rq, GuestTask t, long vlag, long vslice)
    {
        long avg = AvgVruntime(rq);
        long n = rq.NrRunning;
        long lag = n > 0 ? vlag * (n + 1) / n : 0;
        t.Vruntime = avg - lag;
        t.Deadline = t.Vruntime + vslice;
    }

    /// <summary>check_preempt_wakeup_fair: nothing to decide when need_resched is already set; otherwise
    /// update_curr (which may itself end the slice) and preempt when pick_eevdf now picks the wakee.</summary>
    internal override bool WakeupPreempt(RunQueue rq, GuestTask wakee, long now)
    {
        if (rq.NeedResched) return false;
        bool resched = UpdateCurr(rq, now);
        return resched || PickEevdf(rq) == wakee;
    }

    /// <summary>task_tick_fair → update_curr: the tick preempts exactly when update_deadline asked for it.</summary>
    internal override bool TickPreempt(RunQueue rq, long now, bool resched) => resched;

    internal override GuestTask? PickNext(RunQueue rq) => PickEevdf(rq);

    /// <summary>
    /// pick_eevdf: alone, the one entity; otherwise the current task if it is eligible and RUN_TO_PARITY protects it
    /// (it has not had a new deadline since it was picked), else the eligible entity with the earliest deadline,
    /// the current one included.
    /// </summary>
    internal GuestTask? PickEevdf(RunQueue rq)
    {
        var curr = rq.Curr;
        var first = rq.First;
        if (rq.NrRunning == 1) return curr ?? first;
        if (curr is not null && !Eligible(rq, curr)) curr = null;
        if (RunToParity && curr is not null && curr.Deadline == curr.PickedDeadline) return curr;
        GuestTask? best = first is not null && Eligible(rq, first) ? first : null;
        if (best is null && first is not null)
            foreach (var t in rq.Timeline)
                if (Eligible(rq, t)) { best = t; break; }
        if (best is null || (curr is not null && curr.Deadline < best.Deadline)) best = curr;
        return best ?? first;
    }

    /// <summary>set_next_entity stashes the deadline it was picked with (the kernel keeps it in vlag, unused until
    /// dequeue): RUN_TO_PARITY holds while the deadline is still that one.</summary>
    internal override void SetNext(RunQueue rq, GuestTask t, long now)
    {
        base.SetNext(rq, t, now);
        t.PickedDeadline = t.Deadline;
    }

    /// <summary>v6.12's put_prev_set_next_task returns at once when next == prev: no set_next_entity, so the deadline
    /// it was picked with (RUN_TO_PARITY's stash) stays the old one.</summary>
    internal override void Repick(RunQueue rq, GuestTask t, long now) { }

    /// <summary>detach_task / attach_task: the lag is taken on the source (V still counting the task) and the task
    /// placed with it on the destination, with a fresh deadline (v6.6; v6.12's PLACE_REL_DEADLINE keeps the
    /// relative one).</summary>
    internal override void Migrate(RunQueue from, RunQueue to, GuestTask t)
    {
        var (sum, n) = Load(from);
        t.Vlag = Lag(FloorDiv(sum + t.Vruntime, n + 1), t);
        Place(to, t, t.Vlag, Slice);
    }

    private static long FloorDiv(long a, long b) => a / b - (a % b != 0 && (a < 0) != (b < 0) ? 1 : 0);
}
