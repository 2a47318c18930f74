using IrqBench.Machine.Vcpus;

namespace IrqBench.Workloads.Kernel;

/// <summary>
/// The scheduler's wake list (TTWU_QUEUE, kernel/sched/core.c since v5.8): a remote wake-up that the waker should
/// not do itself is queued on the target's call_single_queue, and the target activates the task in
/// sched_ttwu_pending when it handles the call-function IPI — the waker never touches the target's run queue.
/// </summary>
public sealed partial class GuestKernel
{
    /// <summary>
    /// ttwu_queue_cond: use the wake list when the waker and the target share no LLC (to keep the run queue's lines
    /// where they are), or when the target has nothing running (nr_running == 0: the idle target does the activation
    /// while the waker, likely busy, goes on). Never for a wake-up onto the waker's own CPU.
    /// </summary>
    private bool TtwuQueueCond(Vcpu from, RunQueue target)
    {
        int self = from.Id.Value;
        if (!Topology.SharesCache(self, target.Index)) return true;
        if (target.Index == self) return false;
        return target.NrRunning == 0;
    }

    /// <summary>
    /// __ttwu_queue_wakelist on the waker: mark the target's rq->ttwu_pending and add the task to its
    /// call_single_queue (__smp_call_single_queue); the call-function IPI goes out only if the list was empty
    /// (send_call_function_single_ipi: arm64 idle does not poll, so there is no TIF_POLLING shortcut). Both
    /// stores take a line the target last wrote.
    /// </summary>
    private void TtwuQueueWakelist(Vcpu from, RunQueue target, GuestTask t)
    {
        wakelistQueued.Value++;
        Syscall(from, Costs.TtwuQueueWakelist);
        TransferLines(from, 2);
        t.State = TaskState.Waking;
        target.TtwuPending = true;
        if (target.CallSingle.Add(t))
        {
            wakelistIpis.Value++;
            SendCallFunctionIpi(from, target);
        }
    }

    /// <summary>
    /// sched_ttwu_pending on the target, in its call-function IPI: clear ttwu_pending, take the run queue's lock
    /// and activate every queued task here (ttwu_do_activate), each with wakeup_preempt against this CPU's own
    /// current task — a preemption is need_resched on the way out of the IPI, never a second IPI. Reading the list
    /// head and each task's wake entry takes lines the wakers wrote.
    /// </summary>
    private void SchedTtwuPending(Vcpu cpu, RunQueue rq, List<GuestTask> wakees)
    {
        rq.TtwuPending = false;
        Syscall(cpu, Costs.SchedTtwuPending);
        TransferLines(cpu, 1);
        foreach (var t in wakees)
        {
            Syscall(cpu, Costs.TtwuDoActivate);
            TransferLines(cpu, 1);
            TtwuDoActivate(cpu, rq, t);
        }
    }

    /// <summary>Cache lines another CPU last wrote, each costing one core-to-core transfer (machine.line_transfer).</summary>
    private void TransferLines(Vcpu cpu, int lines)
    {
        Vm.Metrics.LineTransfers.Value += lines;
        lineTransfersWakelist.Value += lines;
        Syscall(cpu, lines * Vm.Costs.LineTransfer);
    }
}
