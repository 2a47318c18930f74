using IrqBench.Workloads.Kernel;

namespace IrqBench.Workloads.Tests.Kernel;

/// <summary>EEVDF as fair.c has it in v6.6–v6.12, on one run queue set up by hand, and through the kernel.</summary>
public class EevdfTests
{
    private static (RunQueue Rq, Eevdf Fair) Queue(bool runToParity = true)
    {
        var (vm, _) = TestMachine.Kernel(1, (_, _) => { });
        var fair = new Eevdf(TestMachine.Profile, 1, runToParity);
        return (new RunQueue(vm.Vcpus[0], new RunQueue.Totals(1), fair), fair);
    }

    private static ScriptedTask Queued(RunQueue rq, string name, long vruntime, long deadline)
    {
        var t = new ScriptedTask(name, 1) { };
        t.Vruntime = vruntime;
        t.Deadline = deadline;
        rq.Enqueue(t);
        return t;
    }

    /// <summary>A current task picked at vruntime 1000 with a deadline a slice on; a queued one far right (3000),
    /// which pulls the average up so the current one stays eligible.</summary>
    private static (RunQueue Rq, Eevdf Fair, ScriptedTask Curr) Running(bool runToParity = true)
    {
        var (rq, fair) = Queue(runToParity);
        var curr = Queued(rq, "curr", 1000, 1000 + fair.Slice);
        Queued(rq, "right", 3000, 3000 + fair.Slice);
        rq.Dequeue(curr);
        rq.Curr = curr;
        fair.SetNext(rq, curr, now: 0);
        return (rq, fair, curr);
    }

    /// <summary>A sleeper with a lag of 1000 wakes: V is 2000, its lag is scaled by (n+1)/n = 3/2, so it lands at
    /// vruntime 500 with a deadline a slice on — eligible, and earlier than the current task's.</summary>
    private static ScriptedTask Wake(RunQueue rq, Eevdf fair, long vlag, long now = 0)
    {
        var w = new ScriptedTask("wakee", 2);
        w.Vlag = vlag;
        fair.PlaceWakee(rq, rq, w, now);
        rq.Enqueue(w);
        return w;
    }

    [Fact]
    public void The_base_slice_is_0_75_ms_times_one_plus_ilog2_of_the_cpus_up_to_8()
    {
        long ms = TestMachine.Ms(1);
        Assert.Equal(0.75 * ms, new Eevdf(TestMachine.Profile, 1).Slice, 0.001 * ms);
        Assert.Equal(1.50 * ms, new Eevdf(TestMachine.Profile, 2).Slice, 0.001 * ms);
        Assert.Equal(2.25 * ms, new Eevdf(TestMachine.Profile, 7).Slice, 0.001 * ms);
        Assert.Equal(3.00 * ms, new Eevdf(TestMachine.Profile, 8).Slice, 0.001 * ms);
        Assert.Equal(3.00 * ms, new Eevdf(TestMachine.Profile, 64).Slice, 0.001 * ms);
    }

    [Fact]
    public void PLACE_LAG_places_a_wakee_its_lag_left_of_the_average_so_that_it_keeps_that_lag_once_enqueued()
    {
        var (rq, fair, _) = Running();
        var w = Wake(rq, fair, vlag: 1000);

        Assert.Equal(500, w.Vruntime);                          // V = 2000, lag × 3/2
        Assert.Equal(500 + fair.Slice, w.Deadline);
        Assert.Equal(1000, Eevdf.AvgVruntime(rq) - w.Vruntime); // (1000 + 3000 + 500) / 3 = 1500
        Assert.True(Eevdf.Eligible(rq, w));
    }

    [Fact]
    public void A_task_that_sleeps_keeps_its_lag_clamped_to_the_larger_of_two_slices_and_a_tick()
    {
        var (rq, fair, curr) = Running();
        fair.DequeueSleeper(rq, curr);
        Assert.Equal(2000 - 1000, curr.Vlag); // V = (1000 + 3000) / 2

        long tick = TestMachine.Ms(1000.0 / GuestKernel.Hz);
        curr.Vruntime = -20 * tick;
        fair.DequeueSleeper(rq, curr);
        Assert.Equal(Math.Max(2 * fair.Slice, tick), curr.Vlag); // one vCPU: 2 × 0.75 ms < 4 ms, the tick wins
        curr.Vruntime = 20 * tick;
        fair.DequeueSleeper(rq, curr);
        Assert.Equal(-Math.Max(2 * fair.Slice, tick), curr.Vlag);
    }

    [Fact]
    public void Under_RUN_TO_PARITY_a_woken_task_does_not_preempt_a_current_task_that_has_not_used_its_slice()
    {
        var (rq, fair, _) = Running();
        var w = Wake(rq, fair, vlag: 1000);
        Assert.False(fair.WakeupPreempt(rq, w, now: 0));

        // The same state without RUN_TO_PARITY: the eligible wakee with the earliest deadline is the pick.
        var (rq2, fair2, _) = Running(runToParity: false);
        var w2 = Wake(rq2, fair2, vlag: 1000);
        Assert.True(fair2.WakeupPreempt(rq2, w2, now: 0));
    }

    [Fact]
    public void A_current_task_that_used_up_its_slice_gets_a_new_deadline_loses_RUN_TO_PARITY_and_the_wakee_preempts()
    {
        var (rq, fair, curr) = Running();
        var w = Wake(rq, fair, vlag: 1000);
        curr.Vruntime = curr.Deadline - 1; // it has run almost a slice: the update below crosses its deadline

        Assert.True(fair.WakeupPreempt(rq, w, now: 1));
        Assert.NotEqual(curr.PickedDeadline, curr.Deadline);
        Assert.Equal(curr.Vruntime + fair.Slice, curr.Deadline);
    }

    [Fact]
    public void An_ineligible_current_task_is_not_protected_and_a_wakee_with_positive_lag_preempts_it()
    {
        // Alone on the queue the current task is at V; a wakee with positive lag pulls V left of it.
        var (rq, fair) = Queue();
        var curr = Queued(rq, "curr", 1000, 1000 + fair.Slice);
        rq.Dequeue(curr);
        rq.Curr = curr;
        fair.SetNext(rq, curr, 0);
        var w = Wake(rq, fair, vlag: 100);

        Assert.False(Eevdf.Eligible(rq, curr));
        Assert.True(fair.WakeupPreempt(rq, w, now: 0));
    }

    [Fact]
    public void A_wakee_with_negative_lag_lands_right_of_the_average_and_does_not_preempt()
    {
        var (rq, fair, _) = Running(runToParity: false);
        var w = Wake(rq, fair, vlag: -1000);

        Assert.False(Eevdf.Eligible(rq, w));
        Assert.False(fair.WakeupPreempt(rq, w, now: 0));
    }

    [Fact]
    public void Pick_eevdf_takes_the_eligible_task_with_the_earliest_deadline_not_the_leftmost_vruntime()
    {
        var (rq, fair) = Queue();
        var far = Queued(rq, "ineligible-early-deadline", 9000, 9100);
        var left = Queued(rq, "leftmost-late-deadline", 0, 5000);
        var mid = Queued(rq, "eligible-earlier-deadline", 3000, 4000);

        Assert.True(Eevdf.Eligible(rq, left) && Eevdf.Eligible(rq, mid) && !Eevdf.Eligible(rq, far)); // V = 4000
        Assert.Same(mid, fair.PickNext(rq));
    }
}
