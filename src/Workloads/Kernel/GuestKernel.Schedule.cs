using IrqBench.Machine.Contracts;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Workloads.Kernel;

/// <summary>__schedule, the idle loop and newidle balancing.</summary>
public sealed partial class GuestKernel
{
    /// <summary>
    /// Runs the current task until the vCPU has its next activity: the task's computation, the idle loop's WFI, or
    /// the spin of an smp_call_function. Tasks that block or exit are switched away from in the same burst.
    /// </summary>
    private void Dispatch(Vcpu cpu, RunQueue rq)
    {
        while (true)
        {
            var t = rq.Curr;
            if (t is null) { EnterIdle(cpu, rq); return; }
            if (t.PendingWork >= 0)
            {
                long w = t.PendingWork;
                t.PendingWork = -1;
                cpu.RunWork(w);
                return;
            }
            var step = t.Run(this, cpu);
            switch (step.Kind)
            {
                case TaskStepKind.Compute:
                    if (rq.NeedResched && rq.Queued > 0)
                    {
                        // A wake-up on this vCPU should preempt: the waker is switched out on its way back from the
                        // system call (the need_resched check in exit_to_user_mode).
                        t.PendingWork = step.Cycles;
                        preemptWakeup.Value++;
                        Preempt(cpu, rq);
                        continue;
                    }
                    rq.NeedResched = false;
                    cpu.RunWork(step.Cycles);
                    return;
                case TaskStepKind.Block:
                    Block(cpu, rq, t);
                    Schedule(cpu, rq, prev: t);
                    continue;
                case TaskStepKind.Exit:
                    // do_task_dead: a dead task is never delayed (DEQUEUE_SPECIAL); task_dead_fair removes its load.
                    UpdateLoadAvg(rq, t, onRq: true, cpu.Now);
                    t.State = TaskState.Exited;
                    rq.Curr = null;
                    RemoveEntityLoadAvg(rq, t);
                    Schedule(cpu, rq, prev: t);
                    continue;
                case TaskStepKind.CallFunctionWait:
                    if (CallFunctionOnOthers(cpu, rq) is { } req) { cpu.SpinUntil(req.Done); return; }
                    continue; // a single vCPU: nobody to call
            }
        }
    }

    /// <summary>
    /// The current task goes to sleep (schedule() with it TASK_INTERRUPTIBLE → dequeue_entity with DEQUEUE_SLEEP):
    /// update_curr; then either DELAY_DEQUEUE keeps it queued, not eligible, as sched_delayed (its load still on the
    /// queue, put back into the tree by put_prev_entity), or it leaves with its lag (update_entity_lag) and its
    /// weight leaves the queue's.
    /// </summary>
    private void Block(Vcpu cpu, RunQueue rq, GuestTask t)
    {
        Fair.UpdateCurr(rq, cpu.Now);
        t.BlockSeq++;
        UpdateLoadAvg(rq, t, onRq: true, cpu.Now);
        if (Fair.DelaysDequeue(rq, t))
        {
            delayedDequeues.Value++;
            rq.Curr = null;
            rq.EnqueueDelayed(t);
            t.State = TaskState.Blocked;
            return;
        }
        Fair.DequeueSleeper(rq, t);
        t.State = TaskState.Blocked;
        rq.Curr = null;
    }

    /// <summary>put_prev_task of a preempted current task: it stays runnable at its vruntime; then __schedule.</summary>
    private void Preempt(Vcpu cpu, RunQueue rq)
    {
        var t = rq.Curr!;
        if (rq.Queued == 0) { rq.NeedResched = false; return; } // the wakee was pulled elsewhere meanwhile
        Fair.UpdateCurr(rq, cpu.Now);
        UpdateLoadAvg(rq, t, onRq: true, cpu.Now);
        t.Preemptions++;
        rq.Curr = null;
        rq.Enqueue(t);
        Schedule(cpu, rq, prev: t);
    }

    /// <summary>
    /// __schedule with the current task already put away: picks the next task — a picked task that sleeps delayed
    /// leaves the queue (dequeue_entities with DEQUEUE_DELAYED) and the pick is made again —, pulling one from the
    /// busiest vCPU when there is none here, and charges the context switch unless the pick is the task that was
    /// running (prev == next: no switch). Leaves rq.Curr null when the vCPU goes idle.
    /// </summary>
    private void Schedule(Vcpu cpu, RunQueue rq, GuestTask? prev = null)
    {
        rq.NeedResched = false;
        GuestTask? next;
        while ((next = Fair.PickNext(rq)) is { Delayed: true })
        {
            UpdateLoadAvg(rq, next, onRq: true, cpu.Now);
            Fair.DequeueDelayed(rq, next);
            rq.Dequeue(next);
            next.Delayed = false;
        }
        if (next is not null)
        {
            rq.Dequeue(next);
            UpdateLoadAvg(rq, next, onRq: true, cpu.Now); // set_next_entity
        }
        else next = NewidleBalance(cpu, rq);
        if (next is null) return;
        if (next != prev)
        {
            ctxSwitches.Value++;
            Syscall(cpu, Costs.ContextSwitch + (next.Mm != (prev?.Mm ?? rq.LastMm) ? Costs.SwitchMm : 0));
        }
        rq.LastMm = next.Mm; // lazy TLB: the idle task keeps the last user mm
        next.State = TaskState.Running;
        if (next != prev) Fair.SetNext(rq, next, cpu.Now);
        else Fair.Repick(rq, next, cpu.Now);
        rq.Curr = next;
    }

    /// <summary>do_idle: stop the tick (NO_HZ_IDLE), then WFI until an interrupt.</summary>
    private void EnterIdle(Vcpu cpu, RunQueue rq)
    {
        if (!rq.InIdle)
        {
            rq.InIdle = true;
            rq.IdleStamp = cpu.Now;
            nohzHasBlocked = true; // nohz_balance_enter_idle: assume the CPU leaves blocked load behind
            idleEntries.Value++;
            Syscall(cpu, Costs.IdleEnter);
            rq.TickRunning = false;
            ProgramTimer(cpu, rq);
        }
        cpu.WaitForInterrupt();
    }

    /// <summary>Leaving the idle loop with work queued: tick_nohz_idle_exit restarts the tick.</summary>
    private void ExitIdle(Vcpu cpu, RunQueue rq)
    {
        rq.InIdle = false;
        Syscall(cpu, Costs.IdleExit);
        StartTick(cpu, rq);
    }
}
