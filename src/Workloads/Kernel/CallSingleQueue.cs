namespace IrqBench.Workloads.Kernel;

/// <summary>
/// One CPU's call_single_queue (kernel/smp.c): the lock-free list that smp_call_function_single,
/// smp_call_function_many and the scheduler's wake list all add to. Only the add that finds it empty sends the
/// IPI (llist_add returns true for the first entry): later adds before the target flushes it ride on that IPI.
/// </summary>
internal sealed class CallSingleQueue
{
    private List<CallFunctionRequest> csds = [], takenCsds = [];
    private List<GuestTask> wakees = [], takenWakees = [];

    public int Count => csds.Count + wakees.Count;

    /// <summary>A csd (CSD_TYPE_SYNC or _ASYNC); true when the list was empty and the caller must send the IPI.</summary>
    public bool Add(CallFunctionRequest csd)
    {
        bool first = Count == 0;
        csds.Add(csd);
        return first;
    }

    /// <summary>A task's wake_entry (CSD_TYPE_TTWU); true when the list was empty.</summary>
    public bool Add(GuestTask wakee)
    {
        bool first = Count == 0;
        wakees.Add(wakee);
        return first;
    }

    /// <summary>llist_del_all: everything queued so far, in the order __flush_smp_call_function_queue runs it (the
    /// callbacks, then the wake-ups for sched_ttwu_pending). The lists stay valid until the next take.</summary>
    public (List<CallFunctionRequest> Csds, List<GuestTask> Wakees) TakeAll()
    {
        (takenCsds, csds) = (csds, takenCsds);
        (takenWakees, wakees) = (wakees, takenWakees);
        csds.Clear();
        wakees.Clear();
        return (takenCsds, takenWakees);
    }
}
