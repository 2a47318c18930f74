using IrqBench.Machine.Contracts;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Workloads.Kernel;

/// <summary>The interrupt handlers: IPIs, the timer (tick and hrtimers), device interrupts.</summary>
public sealed partial class GuestKernel
{
    public void OnIpi(Vcpu cpu, IpiKind kind)
    {
        var rq = Rq(cpu);
        switch (kind)
        {
            case IpiKind.Reschedule:
                // scheduler_ipi: the wakee is already queued here (the waker activated it); need_resched makes the
                // IRQ return schedule.
                Syscall(cpu, Costs.SchedIpi);
                if (rq.NeedResched && rq.Curr is not null) cpu.PreemptWorkOnIrqReturn();
                break;
            case IpiKind.CallFunction:
                FlushCallSingleQueue(cpu, rq);
                if (rq.NeedResched && rq.Curr is not null) cpu.PreemptWorkOnIrqReturn();
                break;
            case IpiKind.IrqWork:
                Syscall(cpu, Costs.IrqWorkIpi);
                break;
            default:
                Syscall(cpu, Costs.SchedIpi);
                break;
        }
    }

    /// <summary>
    /// An IPI sent for its own sake (a replayed trace): reschedule and irq_work as raw IPIs, a call-function with a
    /// callback queued that nobody waits for (smp_call_function_single with wait=0).
    /// </summary>
    public void SendIpi(Vcpu from, IpiKind kind, int target)
    {
        if (kind == IpiKind.CallFunction) rqs[target].CallSingle.Add(CallFunctionRequest.NoWait);
        oneTarget[0] = new Machine.VcpuId(target);
        Chip.SendIpi(from, kind, oneTarget);
    }

    /// <summary>The virtual timer's interrupt: the tick if it is due (busy vCPUs only), then expired hrtimers; the
    /// timer is reprogrammed for whichever comes next (tick_sched_timer, hrtimer_interrupt).</summary>
    public void OnTimer(Vcpu cpu)
    {
        var rq = Rq(cpu);
        rq.ProgrammedDeadline = -1; // the expiry consumed the deadline: the timer must be written again (its output is a level)
        if (rq.TickRunning && cpu.Now >= rq.NextTick)
        {
            Syscall(cpu, Costs.Tick);
            rq.Ticks++;
            ticks.Value++;
            while (rq.NextTick <= cpu.Now) rq.NextTick += TickPeriod;
            NohzBalancerKick(cpu, rq);
            if (rq.Curr is not null)
            {
                // scheduler_tick → task_tick_fair → entity_tick: update_curr and update_load_avg, then the fair
                // class's preemption check.
                bool resched = Fair.UpdateCurr(rq, cpu.Now);
                UpdateLoadAvg(rq, rq.Curr, onRq: true, cpu.Now);
                if (Fair.TickPreempt(rq, cpu.Now, resched))
                {
                    rq.NeedResched = true;
                    preemptTick.Value++;
                    cpu.PreemptWorkOnIrqReturn();
                }
            }
        }
        while (rq.PopExpiredHrtimer(cpu.Now, out var sleeper))
        {
            Syscall(cpu, Costs.HrtimerExpire);
            if (sleeper is null) continue;
            hrtimerWakeups.Value++;
            TryToWakeUp(cpu, sleeper);
            if (rq.NeedResched && rq.Curr is not null) cpu.PreemptWorkOnIrqReturn();
        }
        ProgramTimer(cpu, rq);
    }

    public void OnDeviceIrq(Vcpu cpu, DeviceIrq irq)
    {
        if (drivers.TryGetValue(irq, out var d)) d.OnInterrupt(this, cpu, irq);
        var rq = Rq(cpu);
        if (rq.NeedResched && rq.Curr is not null) cpu.PreemptWorkOnIrqReturn();
    }

    /// <summary>
    /// hrtimer_nanosleep: <paramref name="t"/> (current on <paramref name="cpu"/>) sleeps until
    /// <paramref name="deadline"/>; the hrtimer lives on this vCPU and wakes it even when idle. Return the
    /// <see cref="TaskStep.Block"/> this gives.
    /// </summary>
    public TaskStep SleepUntil(Vcpu cpu, GuestTask t, long deadline)
    {
        var rq = Rq(cpu);
        rq.AddHrtimer(t, deadline);
        ProgramTimer(cpu, rq);
        return TaskStep.Block;
    }

    /// <summary>An hrtimer on <paramref name="cpu"/> that wakes nobody (a recorded timer interrupt being replayed):
    /// its expiry costs the timer interrupt and the hrtimer handler.</summary>
    public void ArmTimer(Vcpu cpu, long deadline)
    {
        var rq = Rq(cpu);
        rq.AddHrtimer(null, deadline);
        ProgramTimer(cpu, rq);
    }

    private void StartTick(Vcpu cpu, RunQueue rq)
    {
        if (!PeriodicTick || rq.TickRunning) { ProgramTimer(cpu, rq); return; }
        rq.TickRunning = true;
        // tick_nohz_restart: the tick resumes on the jiffy grid (all CPUs tick together without skew_tick).
        rq.NextTick = (cpu.Now / TickPeriod + 1) * TickPeriod;
        ProgramTimer(cpu, rq);
    }

    /// <summary>The clock event device: CNTV_CVAL is set to the earliest of the next tick (while it runs) and the
    /// next hrtimer; the timer is disabled when there is neither (an idle vCPU with nothing to wait for).</summary>
    private void ProgramTimer(Vcpu cpu, RunQueue rq)
    {
        long next = Math.Min(rq.TickRunning ? rq.NextTick : long.MaxValue, rq.NextHrtimer);
        if (next == rq.ProgrammedDeadline) return;
        rq.ProgrammedDeadline = next;
        if (next == long.MaxValue) cpu.Timer.Disable();
        else cpu.Timer.SetDeadline(next);
    }
}
