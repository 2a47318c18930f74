using IrqBench.Machine.Vcpus;

namespace IrqBench.Workloads.Kernel;

/// <summary>Load balancing as far as it makes interrupts: newidle balancing, and the nohz idle-balance kick by which a
/// busy vCPU's tick sends an idle vCPU a call-function IPI to pull work (kernel/sched/fair.c).</summary>
public sealed partial class GuestKernel
{
    /// <summary>newidle_balance: before idling, pull one waiting task from the busiest vCPU.</summary>
    private GuestTask? NewidleBalance(Vcpu cpu, RunQueue rq)
    {
        if (totals.Queued == 0) return null;
        Syscall(cpu, Costs.NewidleBalance);
        return PullFromBusiest(rq);
    }

    /// <summary>
    /// nohz_balancer_kick from a busy vCPU's tick: when it has tasks waiting and some vCPU sleeps tickless, that
    /// vCPU is kicked with a call-function IPI (kick_ilb → smp_call_function_single_async) to balance on behalf of the
    /// idle ones. One kick at a time per idle vCPU.
    /// </summary>
    private void NohzBalancerKick(Vcpu cpu, RunQueue rq)
    {
        if (rq.Queued == 0) return;
        int ilb = totals.FindIdle(rq.Index + 1, 0, rqs.Length);
        if (ilb < 0 || rqs[ilb].IlbKicked) return;
        rqs[ilb].IlbKicked = true;
        nohzKicks.Value++;
        SmpCallSingleQueue(cpu, rqs[ilb], CallFunctionRequest.IdleBalance);
    }

    /// <summary>nohz_csd_func → _nohz_idle_balance on the kicked vCPU: pull a waiting task, and leave idle to run it.</summary>
    private void NohzIdleBalance(Vcpu cpu, RunQueue rq)
    {
        rq.IlbKicked = false;
        Syscall(cpu, Costs.NewidleBalance);
        if (!rq.IsIdle || PullFromBusiest(rq) is not { } t) return;
        rq.Enqueue(t);
        rq.NeedResched = true;
    }

    /// <summary>detach_one_task from the run queue with the most runnable tasks among those that have tasks waiting
    /// besides their current one, carried over as the fair class migrates a task.</summary>
    private GuestTask? PullFromBusiest(RunQueue rq)
    {
        RunQueue? busiest = null;
        foreach (var other in rqs)
            if (other != rq && other.Queued > 0 && other.Curr is not null && (busiest is null || other.NrRunning > busiest.NrRunning))
                busiest = other;
        var t = busiest?.DetachLast();
        if (t is null) return null;
        newidlePulls.Value++;
        Fair.Migrate(busiest!, rq, t);
        t.Cpu = rq.Index;
        return t;
    }
}
