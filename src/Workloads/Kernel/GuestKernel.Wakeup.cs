using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Workloads.Kernel;

/// <summary>try_to_wake_up, wake_up_new_task and the reschedule IPI (kernel/sched/core.c, fair.c).</summary>
public sealed partial class GuestKernel
{
    private readonly VcpuId[] oneTarget = new VcpuId[1];

    /// <summary>
    /// try_to_wake_up of a blocked task, from <paramref name="from"/>: place it (select_task_rq), enqueue it there
    /// (ttwu_queue) and, if that vCPU is idle or its current task should be preempted, set need_resched and send it a
    /// reschedule IPI — none when the wake-up lands on the waker's own vCPU. A task that is not blocked is left alone.
    /// </summary>
    public void TryToWakeUp(Vcpu from, GuestTask t)
    {
        if (t.State != TaskState.Blocked) return;
        wakeups.Value++;
        t.Wakeups++;
        Syscall(from, Costs.Ttwu);
        var target = SelectTaskRq(t);
        Fair.PlaceWakee(rqs[t.Cpu], target, t);
        Activate(from, target, t);
    }

    /// <summary>
    /// wake_up_new_task after fork/clone on <paramref name="from"/>: the child goes to the idlest vCPU
    /// (find_idlest_cpu of SD_BALANCE_FORK: an idle one, else the one with the fewest runnable tasks), placed there as
    /// the fair class places a new task.
    /// </summary>
    public void WakeUpNewTask(Vcpu from, GuestTask child, int? pinnedCpu = null)
    {
        if (child.Id < 0) Register(child);
        forks.Value++;
        var target = pinnedCpu is { } p ? rqs[p] : FindIdlest(Rq(from).Index);
        Fair.PlaceNew(target, child);
        child.State = TaskState.Blocked; // so that the accounting below treats it as a wake-up target
        Activate(from, target, child);
    }

    /// <summary>select_task_rq: the task's previous vCPU if idle, else an idle vCPU (scanning on from the previous
    /// one, as select_idle_cpu does), else the previous vCPU.</summary>
    private RunQueue SelectTaskRq(GuestTask t)
    {
        var prev = rqs[t.Cpu];
        if (prev.IsIdle) return prev;
        int idle = totals.FindIdle((t.Cpu + 1) % rqs.Length, rqs.Length);
        return idle >= 0 ? rqs[idle] : prev;
    }

    private RunQueue FindIdlest(int from)
    {
        int idle = totals.FindIdle(from, rqs.Length);
        if (idle >= 0) return rqs[idle];
        var best = rqs[from];
        foreach (var rq in rqs) if (rq.NrRunning < best.NrRunning) best = rq;
        return best;
    }

    /// <summary>ttwu_queue / activate_task and check_preempt_curr.</summary>
    private void Activate(Vcpu from, RunQueue target, GuestTask t)
    {
        var self = Rq(from);
        if (target != self) { wakeupsRemote.Value++; Syscall(from, Costs.TtwuRemote); }
        else wakeupsLocal.Value++;
        bool preempt = target.Curr is null || Fair.WakeupPreempt(target, t, from.Now);
        target.Enqueue(t);
        if (preempt) ReschedCurr(from, target);
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
