using IrqBench.Workloads.Kernel;

namespace IrqBench.Workloads.Tests.Kernel;

/// <summary>v6.12's DELAY_DEQUEUE and DELAY_ZERO in the EEVDF class: on a hand-built run queue, and through the kernel.</summary>
public class DelayDequeueTests
{
    private static (RunQueue Rq, Eevdf Fair) Queue(bool delayDequeue = true)
    {
        var (vm, _) = TestMachine.Kernel(1, (_, _) => { });
        var fair = new Eevdf(TestMachine.Profile, 1, delayDequeue: delayDequeue);
        return (new RunQueue(vm.Vcpus[0], new RunQueue.Totals(1), fair), fair);
    }

    private static ScriptedTask Task(string name, long vruntime, long deadline) =>
        new(name, 1) { Vruntime = vruntime, Deadline = deadline };

    /// <summary>A current task at <paramref name="currV"/> and a queued one at 2000 (V = their mean).</summary>
    private static (RunQueue Rq, Eevdf Fair, ScriptedTask Curr, ScriptedTask Other) Running(long currV, bool delayDequeue = true)
    {
        var (rq, fair) = Queue(delayDequeue);
        var other = Task("other", 2000, 2000 + fair.Slice);
        rq.Enqueue(other);
        var curr = Task("curr", currV, currV + fair.Slice);
        rq.Curr = curr;
        return (rq, fair, curr, other);
    }

    [Fact]
    public void A_task_that_sleeps_while_not_eligible_is_delayed_and_an_eligible_one_is_not()
    {
        var (rq, fair, curr, _) = Running(currV: 3000);           // V = 2500 < 3000: it has had more than its share
        Assert.True(fair.DelaysDequeue(rq, curr));
        var (rq2, fair2, curr2, _) = Running(currV: 1000);        // V = 1500 ≥ 1000
        Assert.False(fair2.DelaysDequeue(rq2, curr2));
        var (rq3, fair3, curr3, _) = Running(currV: 3000, delayDequeue: false);
        Assert.False(fair3.DelaysDequeue(rq3, curr3));
    }

    [Fact]
    public void A_delayed_task_stays_in_the_average_and_so_keeps_V_up_for_the_others()
    {
        var (rq, fair, curr, other) = Running(currV: 3000);
        rq.Curr = null;
        rq.EnqueueDelayed(curr);
        curr.State = TaskState.Blocked;

        Assert.Equal(2500, Eevdf.AvgVruntime(rq));     // without it V would be 2000
        Assert.Equal(1, rq.Delayed);
        Assert.Equal(1, rq.Runnable);
        Assert.Equal(2, rq.NrRunning);                 // v6.12 counts it in nr_running
        Assert.Same(other, fair.PickNext(rq));         // not eligible: not picked
    }

    [Fact]
    public void DELAY_ZERO_drops_a_positive_lag_at_wakeup_and_places_the_task_anew_but_keeps_a_negative_one()
    {
        // Woken while still behind V (ineligible): it keeps its place and its negative lag.
        var (rq, fair, curr, _) = Running(currV: 3000);
        rq.Curr = null;
        rq.EnqueueDelayed(curr);
        fair.RequeueDelayed(rq, curr);
        Assert.Equal(3000, curr.Vruntime);
        Assert.Equal(2500 - 3000, curr.Vlag);

        // Woken after V passed it (the others ran meanwhile): the lag it earned asleep is dropped, it starts at V
        // of the others with a fresh deadline.
        var (rq2, fair2, d, other) = Running(currV: 3000);
        rq2.Curr = null;
        rq2.EnqueueDelayed(d);
        rq2.Dequeue(other);
        other.Vruntime = 5000;
        rq2.Enqueue(other);                            // V = 4000 > 3000: d is owed 1000
        fair2.RequeueDelayed(rq2, d);
        Assert.Equal(0, d.Vlag);
        Assert.Equal(5000, d.Vruntime);
        Assert.Equal(5000 + fair2.Slice, d.Deadline);
    }

    [Fact]
    public void A_delayed_task_that_is_picked_leaves_the_queue_with_its_positive_lag_zeroed()
    {
        var (rq, fair, d, other) = Running(currV: 3000);
        rq.Curr = null;
        rq.EnqueueDelayed(d);
        rq.Dequeue(other);
        other.Vruntime = 5000;
        rq.Enqueue(other);
        fair.DequeueDelayed(rq, d);                    // picked at V = 4000: lag +1000
        Assert.Equal(0, d.Vlag);
    }

    /// <summary>
    /// vCPU1: the sleeper runs 1 ms while a hog waits, then blocks — past V, so DELAY_DEQUEUE keeps it queued. The
    /// waker on vCPU0 wakes it 0.3 ms later, before the hog's slice ends.
    /// </summary>
    private static (ScriptedTask Sleeper, Machine.VirtualMachine Vm, int DelayedAtWake, long IpisOfWake) Scene(bool delayDequeue)
    {
        var wq = new WaitQueue();
        ScriptedTask sleeper = null!;
        sleeper = new ScriptedTask("sleeper", 1,
            (_, _) => TaskStep.Compute(TestMachine.Ms(1)),
            (_, _) => { wq.Add(sleeper); return TaskStep.Block; },
            (_, _) => TaskStep.Compute(TestMachine.Ms(0.1)));
        var hog = new ScriptedTask("hog", 2, (_, _) => TaskStep.Compute(TestMachine.Ms(30)));
        var busy = new ScriptedTask("busy", 3, (_, _) => TaskStep.Compute(TestMachine.Ms(30)));
        int delayed = -1;
        long ipis = -1;
        Machine.VirtualMachine vm = null!;
        var waker = new ScriptedTask("waker", 4, (_, _) => TaskStep.Compute(TestMachine.Ms(1.3)),
            (k, cpu) =>
            {
                delayed = k.Rq(1).Delayed;
                long before = vm.Metrics.IpisSent.Value;
                wq.WakeOne(k, cpu);
                ipis = vm.Metrics.IpisSent.Value - before;
                return TaskStep.Compute(TestMachine.Ms(10));
            });
        GuestKernel kernel;
        (vm, kernel) = TestMachine.Kernel(3, (k, cpu) =>
        {
            k.WakeUpNewTask(cpu, sleeper, pinnedCpu: 1);
            k.WakeUpNewTask(cpu, hog, pinnedCpu: 1);
            k.WakeUpNewTask(cpu, busy, pinnedCpu: 2);
            k.WakeUpNewTask(cpu, waker, pinnedCpu: 0);
        }, KernelConfig.Default with { DelayDequeue = delayDequeue, WakeAffine = false });
        vm.Run();
        return (sleeper, vm, delayed, ipis);
    }

    [Fact]
    public void A_sleeper_kept_queued_by_DELAY_DEQUEUE_is_woken_where_it_is_without_placement_or_an_IPI()
    {
        var (sleeper, vm, delayedAtWake, ipis) = Scene(delayDequeue: true);

        Assert.Equal(1, delayedAtWake);
        Assert.Equal(1, vm.Metrics.Get("guest_delayed_dequeues").Value);
        Assert.Equal(1, vm.Metrics.Get("guest_wakeups_delayed").Value); // ttwu_runnable, not select_task_rq
        Assert.Equal(0, ipis);                                          // its negative lag does not preempt the hog
        Assert.Equal(0, vm.Metrics.Get("guest_ttwu_wakelist").Value);
        Assert.Equal(1, sleeper.Ran[^1].Cpu);
        Assert.Equal(TaskState.Exited, sleeper.State);
    }

    [Fact]
    public void Without_DELAY_DEQUEUE_the_same_sleeper_leaves_the_queue_and_its_wakeup_is_an_ordinary_one()
    {
        var (_, vm, delayedAtWake, _) = Scene(delayDequeue: false);

        Assert.Equal(0, delayedAtWake);
        Assert.Equal(0, vm.Metrics.Get("guest_delayed_dequeues").Value);
        Assert.Equal(0, vm.Metrics.Get("guest_wakeups_delayed").Value);
        Assert.Equal(1, vm.Metrics.Get("guest_wakeups").Value);
    }
}
