namespace IrqBench.Workloads.Kernel;

/// <summary>
/// PELT load tracking as fair.c drives it (update_load_avg and its attach/detach/remove), as far as the placement
/// decisions read it: each task's and each CPU's cfs_rq load_avg (wake_affine_weight's task_h_load and cpu_load) and
/// util_avg (fork placement's group_util), updated where the kernel updates them — enqueue_entity, dequeue_entity,
/// set_next_entity, put_prev_entity, entity_tick, and the blocked-load update of newidle balancing.
/// </summary>
/// <remarks>
/// Simplified: one flat cfs_rq per CPU (no CONFIG_FAIR_GROUP_SCHED hierarchy, so task_h_load is the task's own
/// load_avg; with autogroup all of hackbench's tasks would share one group anyway); the PELT clock is the vCPU's time
/// (no frequency or capacity scaling: every vCPU runs at full capacity; no lost-idle-time correction; no IRQ or
/// steal time taken out of clock_task); a task migrated at wake-up is decayed to its old queue's last update and
/// leaves its load in that queue's removed load (remove_entity_load_avg), without migrate_se_pelt_lag's estimate of
/// the old queue's idle time; runnable_avg (and util_est, SIS_UTIL's scan limit, EAS) are not tracked.
/// </remarks>
public sealed partial class GuestKernel
{
    /// <summary>What update_load_avg does besides aging: attach a new or migrated entity (DO_ATTACH), or take a
    /// migrating one out (DO_DETACH).</summary>
    private enum LoadUpdate { Age, Attach, Detach }

    /// <summary>rq_clock_pelt in ns: the simulated time.</summary>
    private ulong PeltClock(long cycles)
    {
        if (cycles <= 0) return 0;
        long f = Vm.Profile.FrequencyHz;
        return (ulong)(cycles / f) * 1_000_000_000UL + (ulong)(cycles % f * 1_000_000_000L / f);
    }

    /// <summary>
    /// update_load_avg(cfs_rq, se, flags) at <paramref name="now"/>: age the entity (its load was on the queue if
    /// <paramref name="onRq"/>, and it ran if it is the queue's current task), then the queue
    /// (__update_load_avg_cfs_rq with the queue's weight, nr_running × 1024, running while it has a current task,
    /// after taking out the removed load), then attach or detach the entity. <paramref name="se"/> null updates the
    /// queue alone (update_blocked_averages). Called before the change it precedes in the kernel, so that the
    /// stretch since the last update is counted with the state it had.
    /// </summary>
    private void UpdateLoadAvg(RunQueue rq, GuestTask? se, bool onRq, long now, LoadUpdate action = LoadUpdate.Age)
    {
        ulong t = PeltClock(now);
        if (se is not null && !se.Avg.Detached && Pelt.UpdateLoadSum(t, ref se.Avg, onRq ? 1UL : 0UL, rq.Curr == se))
            Pelt.UpdateLoadAvg(ref se.Avg, Pelt.Nice0Weight);
        UpdateCfsRqLoadAvg(rq, t);
        if (se is null) return;
        if (se.Avg.Detached && action == LoadUpdate.Attach) AttachEntityLoadAvg(rq, se);
        else if (action == LoadUpdate.Detach) DetachEntityLoadAvg(rq, se);
    }

    /// <summary>update_cfs_rq_load_avg: subtract what left while asleep (its load from the average, that times the
    /// divider from the sum, the sum kept consistent with the average), then age the queue's own sum.</summary>
    private static void UpdateCfsRqLoadAvg(RunQueue rq, ulong now)
    {
        if (rq.RemovedLoad > 0 || rq.RemovedUtil > 0)
        {
            ulong divider = Pelt.Divider(rq.Avg);
            SubAvg(ref rq.Avg.LoadAvg, ref rq.Avg.LoadSum, rq.RemovedLoad, rq.RemovedLoad * divider);
            SubAvg(ref rq.Avg.UtilAvg, ref rq.Avg.UtilSum, rq.RemovedUtil, rq.RemovedUtil * divider);
            rq.RemovedLoad = rq.RemovedUtil = 0;
        }
        if (Pelt.UpdateLoadSum(now, ref rq.Avg, Pelt.Nice0Weight * (ulong)rq.NrRunning, rq.Curr is not null))
            Pelt.UpdateLoadAvg(ref rq.Avg, 1);
    }

    /// <summary>sub_positive of an average and its sum, the sum kept at least the average × PELT_MIN_DIVIDER.</summary>
    private static void SubAvg(ref ulong avg, ref ulong sum, ulong avgPart, ulong sumPart)
    {
        avg = avg > avgPart ? avg - avgPart : 0;
        sum = Math.Max(sum > sumPart ? sum - sumPart : 0, avg * Pelt.MinDivider);
    }

    /// <summary>attach_entity_load_avg: the entity takes the queue's decay window (last_update_time, period_contrib),
    /// its sum is rebuilt from its average for that window, and both are added to the queue's.</summary>
    private static void AttachEntityLoadAvg(RunQueue rq, GuestTask se)
    {
        ulong divider = Pelt.Divider(rq.Avg);
        se.Avg.LastUpdateTime = rq.Avg.LastUpdateTime;
        se.Avg.PeriodContrib = rq.Avg.PeriodContrib;
        ulong sum = se.Avg.LoadAvg * divider;
        se.Avg.LoadSum = Pelt.Nice0Weight < sum ? sum / Pelt.Nice0Weight : 1;
        se.Avg.UtilSum = se.Avg.UtilAvg * divider;
        se.Avg.Detached = false;
        rq.Avg.LoadAvg += se.Avg.LoadAvg;                       // enqueue_load_avg
        rq.Avg.LoadSum += Pelt.Nice0Weight * se.Avg.LoadSum;
        rq.Avg.UtilAvg += se.Avg.UtilAvg;
        rq.Avg.UtilSum += se.Avg.UtilSum;
    }

    /// <summary>detach_entity_load_avg (dequeue_load_avg): a task moved by load balancing takes its load along.</summary>
    private static void DetachEntityLoadAvg(RunQueue rq, GuestTask se)
    {
        SubAvg(ref rq.Avg.LoadAvg, ref rq.Avg.LoadSum, se.Avg.LoadAvg, Pelt.Nice0Weight * se.Avg.LoadSum);
        SubAvg(ref rq.Avg.UtilAvg, ref rq.Avg.UtilSum, se.Avg.UtilAvg, se.Avg.UtilSum);
        se.Avg.Detached = true;
    }

    /// <summary>remove_entity_load_avg, for a sleeping task that is woken onto another CPU (migrate_task_rq_fair) or
    /// that exited (task_dead_fair): sync_entity_load_avg decays it, off the queue, to the queue's last update; its
    /// load goes to the queue's removed load; it is attached again at its next enqueue.</summary>
    private static void RemoveEntityLoadAvg(RunQueue rq, GuestTask se)
    {
        if (se.Avg.Detached) return;
        if (Pelt.UpdateLoadSum(rq.Avg.LastUpdateTime, ref se.Avg, 0, false)) Pelt.UpdateLoadAvg(ref se.Avg, Pelt.Nice0Weight);
        rq.RemovedLoad += se.Avg.LoadAvg;
        rq.RemovedUtil += se.Avg.UtilAvg;
        se.Avg.Detached = true;
    }

    /// <summary>init_entity_runnable_average: a new task starts with the full load of its weight, to be seen as heavy
    /// until its signal has settled; then post_init_entity_util_avg on the CPU it was forked onto: half the capacity
    /// that queue leaves spare, at most the queue's util per unit of its load (as if the task were an average one
    /// there). It is attached at its first enqueue.</summary>
    private static void InitEntityLoadAvg(RunQueue rq, GuestTask se)
    {
        se.Avg = new SchedAvg { LoadAvg = Pelt.Nice0Weight, Detached = true };
        long cap = ((long)Pelt.CapacityScale - (long)rq.Avg.UtilAvg) / 2;
        if (cap <= 0) return;
        ulong util = (ulong)cap;
        if (rq.Avg.UtilAvg != 0) util = Math.Min(util, rq.Avg.UtilAvg * Pelt.Nice0Weight / (rq.Avg.LoadAvg + 1));
        se.Avg.UtilAvg = util;
    }

    /// <summary>cpu_load: the CPU's cfs_rq load_avg as last updated.</summary>
    public static ulong CpuLoad(RunQueue rq) => rq.Avg.LoadAvg;

    /// <summary>cpu_util_cfs without util_est: the CPU's cfs_rq util_avg as last updated, at most its capacity.</summary>
    public static ulong CpuUtil(RunQueue rq) => Math.Min(rq.Avg.UtilAvg, Pelt.CapacityScale);

    /// <summary>task_h_load without a group hierarchy: the task's load_avg as last updated.</summary>
    private static ulong TaskHLoad(GuestTask? t) => t?.Avg.LoadAvg ?? 0;
}
