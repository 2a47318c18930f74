using IrqBench.Machine.Vcpus;

namespace IrqBench.Workloads.Kernel;

/// <summary>
/// A wait queue (wait_queue_head_t). A task adds itself before blocking; a wake-up calls try_to_wake_up on waiters in
/// FIFO order. A task may sit on several queues at once (poll); once it is woken by one, its entries on the others
/// are stale and skipped, as poll_freewait would have removed them.
/// </summary>
public sealed class WaitQueue
{
    private readonly Queue<(GuestTask Task, long Seq)> waiters = new();

    public int Count => waiters.Count;

    /// <summary>prepare_to_wait: the caller blocks right after.</summary>
    public void Add(GuestTask t) => waiters.Enqueue((t, t.BlockSeq + 1));

    /// <summary>wake_up with an exclusive waiter: wakes the first task still waiting here. False when none was.</summary>
    /// <param name="sync">A synchronous wake-up (__wake_up_sync_key, WF_SYNC): the waker is going to sleep soon.</param>
    public bool WakeOne(GuestKernel k, Vcpu from, bool sync = false)
    {
        while (waiters.TryDequeue(out var e))
            if (IsWaiting(e)) { k.TryToWakeUp(from, e.Task, sync); return true; }
        return false;
    }

    /// <summary>wake_up_all (non-exclusive waiters, poll): every task waiting here now.</summary>
    public int WakeAll(GuestKernel k, Vcpu from, bool sync = false)
    {
        int n = waiters.Count, woken = 0;
        for (int i = 0; i < n && waiters.TryDequeue(out var e); i++)
            if (IsWaiting(e)) { k.TryToWakeUp(from, e.Task, sync); woken++; }
        return woken;
    }

    private static bool IsWaiting((GuestTask Task, long Seq) e) => e.Task.State == TaskState.Blocked && e.Task.BlockSeq == e.Seq;
}
