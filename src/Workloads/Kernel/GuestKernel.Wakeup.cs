using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Workloads.Kernel;

/// <summary>try_to_wake_up, wake_up_new_task and the reschedule IPI (kernel/sched/core.c, fair.c).</summary>
public sealed partial class GuestKernel
{
    private readonly VcpuId[] oneTarget = new VcpuId[1];

    /// <summary>sd->imbalance_pct of the domains the placements use: sd_init gives 117 to every level but SMT (110):
    /// the MC domain, and PKG or NUMA above it.</summary>
    public const int ImbalancePct = 117;

    /// <summary>
    /// try_to_wake_up of a blocked task, from <paramref name="from"/>: place it (select_task_rq), take its load off its
    /// old CPU if it moves (migrate_task_rq_fair), then ttwu_queue — through the target's wake list when
    /// ttwu_queue_cond says so (<see cref="TtwuQueueCond"/>), else activated right here on the target's run queue,
    /// with a reschedule IPI if the target's current task should make way. A task that is not blocked (running,
    /// queued, or already on a wake list) is left alone.
    /// </summary>
    public void TryToWakeUp(Vcpu from, GuestTask t)
    {
        if (t.State != TaskState.Blocked) return;
        wakeups.Value++;
        t.Wakeups++;
        var prev = rqs[t.Cpu];
        var target = SelectTaskRq(t);
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
    /// wake_up_new_task after fork/clone on <paramref name="from"/>: the child goes to the idlest vCPU
    /// (select_task_rq_fair with WF_FORK → sched_balance_find_dst_cpu, <see cref="FindIdlestCpu"/>), gets its PELT
    /// start there (full load, post_init_entity_util_avg), is placed as the fair class places a new task, and is
    /// activated from the parent's CPU (fork never uses the wake list).
    /// </summary>
    public void WakeUpNewTask(Vcpu from, GuestTask child, int? pinnedCpu = null)
    {
        if (child.Id < 0) Register(child);
        forks.Value++;
        var here = Rq(from);
        var target = rqs[pinnedCpu ?? FindIdlestCpu(here.Index)];
        InitEntityLoadAvg(target, child);
        if (target != here) { wakeupsRemote.Value++; Syscall(from, Costs.TtwuRemote); }
        else wakeupsLocal.Value++;
        bool resched = Fair.PlaceNew(target, child, from.Now);
        UpdateLoadAvg(target, child, onRq: false, from.Now, LoadUpdate.Attach);
        target.Enqueue(child);
        CheckPreemptCurr(from, target, child, resched);
    }

    /// <summary>select_task_rq_fair → select_idle_sibling: the task's previous vCPU if idle, else an idle vCPU of the
    /// previous vCPU's LLC (select_idle_cpu scans sd_llc from the vCPU after it), else the previous vCPU.</summary>
    private RunQueue SelectTaskRq(GuestTask t)
    {
        var prev = rqs[t.Cpu];
        if (prev.IsIdle) return prev;
        var (first, count) = Topology.Llc(t.Cpu);
        int idle = totals.FindIdle(t.Cpu + 1, first, count);
        return idle >= 0 ? rqs[idle] : prev;
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
