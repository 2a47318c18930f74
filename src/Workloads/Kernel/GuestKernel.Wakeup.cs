using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Workloads.Kernel;

/// <summary>try_to_wake_up, wake_up_new_task and the reschedule IPI (kernel/sched/core.c, fair.c).</summary>
public sealed partial class GuestKernel
{
    private readonly VcpuId[] oneTarget = new VcpuId[1];

    /// <summary>sd->imbalance_pct of the domains wake_affine runs in: sd_init gives 117 to every level but SMT (110),
    /// and the MC domain (and PKG or NUMA above it) is what spans a waker and its wakee here.</summary>
    public const int ImbalancePct = 117;

    /// <summary>SCHED_CAPACITY_SCALE: capacity_of every vCPU (no RT, DL or IRQ pressure is modelled).</summary>
    private const long CapacityScale = 1024;

    /// <summary>
    /// try_to_wake_up of a blocked task, from <paramref name="from"/>. A task still queued with sched_delayed
    /// (DELAY_DEQUEUE) is woken where it is (ttwu_runnable). Otherwise: place it (select_task_rq_fair), take its load
    /// off its old CPU if it moves (migrate_task_rq_fair), then ttwu_queue — through the target's wake list when
    /// ttwu_queue_cond says so (<see cref="TtwuQueueCond"/>), else activated right here on the target's run queue,
    /// with a reschedule IPI if the target's current task should make way. A task that is not blocked (running,
    /// queued, or already on a wake list) is left alone.
    /// </summary>
    /// <param name="sync">WF_SYNC: the waker is about to sleep (__wake_up_sync_key: a pipe or socket write waking
    /// its reader, a read waking its writer, wake_up_interruptible_sync_poll).</param>
    public void TryToWakeUp(Vcpu from, GuestTask t, bool sync = false)
    {
        if (t.State != TaskState.Blocked) return;
        wakeups.Value++;
        t.Wakeups++;
        if (t.Delayed)
        {
            TtwuRunnable(from, t);
            return;
        }
        if (sync) wakeupsSync.Value++;
        var prev = rqs[t.Cpu];
        var target = SelectTaskRqFair(from, t, sync);
        if (target != Rq(from)) wakeupsRemote.Value++;
        else wakeupsLocal.Value++;
        if (target != prev) RemoveEntityLoadAvg(prev, t); // set_task_cpu → migrate_task_rq_fair
        if (TtwuQueueCond(from, target))
        {
            TtwuQueueWakelist(from, target, t);
            return;
        }
        Syscall(from, Costs.Ttwu);
        if (target != Rq(from)) Syscall(from, Costs.TtwuRemote);
        TtwuDoActivate(from, target, t);
    }

    /// <summary>
    /// ttwu_runnable: the task went to sleep not eligible and DELAY_DEQUEUE kept it queued; the waker takes that
    /// queue's lock and requeues it there (enqueue_task with ENQUEUE_DELAYED → requeue_delayed_entity, DELAY_ZERO),
    /// then wakeup_preempt against that queue's current task. No select_task_rq (so no record_wakee), no migration,
    /// no wake list.
    /// </summary>
    private void TtwuRunnable(Vcpu from, GuestTask t)
    {
        var rq = rqs[t.Cpu];
        wakeupsDelayed.Value++;
        bool remote = rq != Rq(from);
        if (remote) wakeupsRemote.Value++;
        else wakeupsLocal.Value++;
        Syscall(from, Costs.TtwuRunnable);
        if (remote) Syscall(from, Costs.TtwuRemote);
        Fair.RequeueDelayed(rq, t);
        UpdateLoadAvg(rq, t, onRq: true, from.Now);
        rq.ClearDelayed(t);
        CheckPreemptCurr(from, rq, t, resched: false);
    }

    /// <summary>
    /// wake_up_new_task after fork/clone on <paramref name="from"/>: the child starts with its parent's record_wakee
    /// state (dup_task_struct), goes to the idlest vCPU (select_task_rq_fair with WF_FORK →
    /// sched_balance_find_dst_cpu, <see cref="FindIdlestCpu"/>), gets its PELT start there (full load,
    /// post_init_entity_util_avg), is placed as the fair class places a new task, and is activated from the parent's
    /// CPU (fork never uses the wake list).
    /// </summary>
    public void WakeUpNewTask(Vcpu from, GuestTask child, int? pinnedCpu = null)
    {
        if (child.Id < 0) Register(child);
        forks.Value++;
        var here = Rq(from);
        child.Wakee.CopyFrom(CurrentWakee(here));
        child.RecentUsedCpu = here.Index; // p->recent_used_cpu = task_cpu(p): sched_fork put it on the parent's CPU
        var target = rqs[pinnedCpu ?? FindIdlestCpu(here.Index)];
        InitEntityLoadAvg(target, child);
        if (target != here) { wakeupsRemote.Value++; Syscall(from, Costs.TtwuRemote); }
        else wakeupsLocal.Value++;
        bool resched = Fair.PlaceNew(target, child, from.Now);
        UpdateLoadAvg(target, child, onRq: false, from.Now, LoadUpdate.Attach);
        target.Enqueue(child);
        CheckPreemptCurr(from, target, child, resched);
    }

    /// <summary>
    /// select_task_rq_fair for a wake-up (WF_TTWU), in its order: record_wakee; want_affine unless wake_wide; for the
    /// first domain of the waker's CPU that has SD_WAKE_AFFINE and spans the previous CPU (always one here: MC, or
    /// PKG/NUMA above separate LLCs), wake_affine chooses between the waker's CPU and the previous one; then
    /// select_idle_sibling around that choice. (Without want_affine the domain walk stops at once: no domain has
    /// SD_BALANCE_WAKE.)
    /// </summary>
    private RunQueue SelectTaskRqFair(Vcpu from, GuestTask p, bool sync)
    {
        int cpu = from.Id.Value, prev = p.Cpu;
        var waker = CurrentWakee(rqs[cpu]);
        RecordWakee(waker, p, from.Now);
        int newCpu = prev;
        if (!Config.WakeAffine) { }
        else if (WakeWide(waker, p, cpu)) wakeWide.Value++;
        else if (cpu != prev) newCpu = WakeAffine(p, cpu, prev, sync);
        return rqs[SelectIdleSibling(p, prev, newCpu)];
    }

    /// <summary>"current" for record_wakee and wake_affine_weight: the task running on the waking CPU (in an
    /// interrupt, the one interrupted), or its idle task.</summary>
    private static WakeeStats CurrentWakee(RunQueue rq) => rq.Curr?.Wakee ?? rq.IdleWakee;

    /// <summary>record_wakee: once more than HZ jiffies have passed since the last decay, the waker's wakee_flips is
    /// halved (once, however long it was); waking a different task than last time counts a flip.</summary>
    internal void RecordWakee(WakeeStats waker, GuestTask p, long now)
    {
        long jiffies = now / TickPeriod;
        if (jiffies > waker.DecayTs + Hz)
        {
            waker.Flips >>= 1;
            waker.DecayTs = jiffies;
        }
        if (waker.LastWakee != p)
        {
            waker.LastWakee = p;
            waker.Flips++;
        }
    }

    /// <summary>wake_wide: the waker/wakee relation looks M:N — the fewer flips of the two (slave) reach sd_llc_size,
    /// and the more (master) reach slave × sd_llc_size — so the wakee should spread rather than be pulled
    /// affine.</summary>
    internal bool WakeWide(WakeeStats waker, GuestTask p, int cpu)
    {
        uint master = waker.Flips, slave = p.Wakee.Flips;
        uint factor = (uint)Topology.Llc(cpu).Count;
        if (master < slave) (master, slave) = (slave, master);
        return slave >= factor && master >= (ulong)slave * factor;
    }

    /// <summary>wake_affine (WA_IDLE, then WA_WEIGHT): the waker's CPU <paramref name="thisCpu"/> if one of them
    /// says so, else the previous CPU.</summary>
    private int WakeAffine(GuestTask p, int thisCpu, int prevCpu, bool sync)
    {
        int target = WakeAffineIdle(thisCpu, prevCpu, sync);
        if (target < 0) target = WakeAffineWeight(p, thisCpu, prevCpu, sync);
        if (target != thisCpu) return prevCpu;
        wakeAffine.Value++;
        return thisCpu;
    }

    /// <summary>
    /// wake_affine_idle: an idle waking CPU (a wake-up from an interrupt) that shares the cache takes the wakee
    /// unless the previous CPU is idle too; a sync waker alone on its CPU (nr_running == 1, v6.12 counting delayed
    /// tasks) takes it, as it is about to sleep; an idle previous CPU keeps it; otherwise no verdict (-1).
    /// </summary>
    private int WakeAffineIdle(int thisCpu, int prevCpu, bool sync)
    {
        if (rqs[thisCpu].IsIdle && Topology.SharesCache(thisCpu, prevCpu))
            return rqs[prevCpu].IsIdle ? prevCpu : thisCpu;
        if (sync && rqs[thisCpu].NrRunning == 1) return thisCpu;
        if (rqs[prevCpu].IsIdle) return prevCpu;
        return -1;
    }

    /// <summary>
    /// wake_affine_weight: the waker's CPU when its load with the wakee added (and, if sync, the waker's own load
    /// taken out — or at once if the waker carries more than its CPU's load) is below the previous CPU's load
    /// without the wakee, that one inflated by WA_BIAS's half of imbalance_pct (×108 against ×100); a sync tie goes
    /// to the waker. Loads are PELT load_avg as last updated (cpu_load, task_h_load), CPU capacities equal.
    /// </summary>
    internal int WakeAffineWeight(GuestTask p, int thisCpu, int prevCpu, bool sync)
    {
        long thisEff = (long)CpuLoad(rqs[thisCpu]);
        if (sync)
        {
            long current = (long)TaskHLoad(rqs[thisCpu].Curr);
            if (current > thisEff) return thisCpu;
            thisEff -= current;
        }
        long taskLoad = (long)TaskHLoad(p);
        thisEff = (thisEff + taskLoad) * 100 * CapacityScale;
        long prevEff = ((long)CpuLoad(rqs[prevCpu]) - taskLoad) * (100 + (ImbalancePct - 100) / 2) * CapacityScale;
        if (sync) prevEff += 1;
        return thisEff < prevEff ? thisCpu : -1;
    }

    /// <summary>
    /// select_idle_sibling on a symmetric machine without SMT: the target if idle; the previous CPU if it shares the
    /// target's LLC and is idle; the task's recently used CPU likewise (p->recent_used_cpu, which becomes the previous
    /// CPU); else select_idle_cpu scans the target's LLC from the CPU after it for an idle one (a vCPU with wake-ups
    /// on its wake list is not idle); else the target. Without an LLC of more than one vCPU (no sd_llc) the target.
    /// </summary>
    private int SelectIdleSibling(GuestTask p, int prev, int target)
    {
        if (rqs[target].IsIdle) return target;
        if (prev != target && Topology.SharesCache(prev, target) && rqs[prev].IsIdle) return prev;
        int recent = p.RecentUsedCpu;
        p.RecentUsedCpu = prev;
        if (recent != prev && recent != target && Topology.SharesCache(recent, target) && rqs[recent].IsIdle) return recent;
        var (first, count) = Topology.Llc(target);
        if (count == 1) return target;
        int idle = totals.FindIdle(target + 1, first, count);
        return idle >= 0 ? idle : target;
    }

    /// <summary>ttwu_do_activate on <paramref name="on"/> (the waker, or the target flushing its wake list):
    /// place_entity relative to the queue the task last ran on, enqueue_entity's update_load_avg (aging the sleep,
    /// or attaching a task that moved), activate_task, and wakeup_preempt.</summary>
    private void TtwuDoActivate(Vcpu on, RunQueue rq, GuestTask t)
    {
        bool resched = Fair.PlaceWakee(rqs[t.Cpu], rq, t, on.Now);
        UpdateLoadAvg(rq, t, onRq: false, on.Now, LoadUpdate.Attach);
        rq.Enqueue(t);
        CheckPreemptCurr(on, rq, t, resched);
    }

    /// <summary>wakeup_preempt (check_preempt_curr): the idle task always makes way; a task makes way when the fair
    /// class says the wakee should preempt it, or when the enqueue's update_curr already ended its slice
    /// (<paramref name="resched"/>).</summary>
    private void CheckPreemptCurr(Vcpu on, RunQueue rq, GuestTask wakee, bool resched)
    {
        if (resched || rq.Curr is null || Fair.WakeupPreempt(rq, wakee, on.Now)) ReschedCurr(on, rq);
    }

    /// <summary>resched_curr: set need_resched; another vCPU learns of it by a reschedule IPI (arm64 idle does not
    /// poll, so an idle vCPU needs one too). Already set means an IPI is on its way: no second one.</summary>
    private void ReschedCurr(Vcpu from, RunQueue target)
    {
        if (target.NeedResched) return;
        target.NeedResched = true;
        if (target.Cpu == from) return;
        reschedIpis.Value++;
        oneTarget[0] = target.Cpu.Id;
        Chip.SendIpi(from, IpiKind.Reschedule, oneTarget);
    }
}
