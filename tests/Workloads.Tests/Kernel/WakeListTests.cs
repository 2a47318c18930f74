using IrqBench.Machine;
using IrqBench.Workloads.Kernel;

namespace IrqBench.Workloads.Tests.Kernel;

/// <summary>try_to_wake_up's wake list (TTWU_QUEUE, ttwu_queue_cond) and where the LLC boundary puts it.</summary>
public class WakeListTests
{
    /// <summary>No two vCPUs share an LLC; wake_affine off, so that the wakees stay on their previous vCPU and the
    /// wake list is what decides (with it on, a cross-LLC wake-up may be pulled to the waker: WakeAffineTests).</summary>
    private static readonly KernelConfig NoSharedLlc = KernelConfig.Default with { LlcSize = 1, WakeAffine = false };

    /// <summary>vCPU1 runs a hog; the sleepers last ran on vCPU1; the waker on vCPU0 wakes them all in one burst at
    /// 1 ms and reports what it saw right after each wake-up.</summary>
    private sealed class Scene
    {
        public readonly WaitQueue Wq = new();
        public readonly List<ScriptedTask> Sleepers = [];
        public readonly List<(TaskState State, int QueuedOnVcpu1, long Ipis, long Resched)> AfterEachWake = [];
        public VirtualMachine Vm = null!;
        public GuestKernel K = null!;

        public Scene(int sleepers, KernelConfig config)
        {
            for (int i = 0; i < sleepers; i++)
            {
                ScriptedTask s = null!;
                s = new ScriptedTask($"sleeper{i}", 10 + i, (_, _) => { Wq.Add(s); return TaskStep.Block; },
                    (_, _) => TaskStep.Compute(TestMachine.Ms(0.1)));
                Sleepers.Add(s);
            }
            var hog = new ScriptedTask("hog", 2, (_, _) => TaskStep.Compute(TestMachine.Ms(20)));
            var waker = new ScriptedTask("waker", 3,
                (_, _) => TaskStep.Compute(TestMachine.Ms(1)),
                (k, cpu) =>
                {
                    IpisBefore = Vm.Metrics.IpisSent.Value;
                    ReschedBefore = Vm.Metrics.Get("guest_resched_ipis_sent").Value;
                    for (int i = 0; i < Sleepers.Count; i++)
                    {
                        Wq.WakeOne(k, cpu);
                        AfterEachWake.Add((Sleepers[i].State, k.Rq(1).Queued, Vm.Metrics.IpisSent.Value,
                            Vm.Metrics.Get("guest_resched_ipis_sent").Value));
                    }
                    return TaskStep.Compute(TestMachine.Ms(30)); // busy: vCPU0 pulls nothing from vCPU1
                });
            (Vm, K) = TestMachine.Kernel(2, (k, cpu) =>
            {
                foreach (var s in Sleepers) k.WakeUpNewTask(cpu, s, pinnedCpu: 1);
                k.WakeUpNewTask(cpu, hog, pinnedCpu: 1);
                k.WakeUpNewTask(cpu, waker, pinnedCpu: 0);
            }, config);
        }

        public long IpisBefore = -1, ReschedBefore = -1;
    }

    [Fact]
    public void A_remote_wakeup_of_a_busy_vcpu_that_shares_no_LLC_with_the_waker_queues_on_the_wake_list_and_sends_an_IPI()
    {
        var s = new Scene(1, NoSharedLlc);
        s.Vm.Run();
        long before = s.IpisBefore;

        var seen = s.AfterEachWake[0];
        Assert.Equal(TaskState.Waking, seen.State);   // the waker did not activate it...
        Assert.Equal(0, seen.QueuedOnVcpu1);           // ...nor touch vCPU1's run queue
        Assert.Equal(before + 1, seen.Ipis);           // one IPI, sent by the wake-up itself
        Assert.Equal(1, s.Vm.Metrics.Get("guest_ttwu_wakelist").Value);
        Assert.Equal(1, s.Vm.Metrics.Get("guest_ttwu_wakelist_ipis").Value);
        Assert.Equal(0, s.Vm.Metrics.Get("guest_resched_ipis_sent").Value - s.ReschedBefore); // it is a call-function IPI
        Assert.Equal(1, s.Sleepers[0].Wakeups);
        Assert.Equal(1, s.Sleepers[0].Ran[1].Cpu);     // vCPU1 activated it and ran it
        Assert.Equal(TaskState.Exited, s.Sleepers[0].State);
    }

    [Fact]
    public void Two_wakeups_to_one_vcpu_before_it_runs_its_wake_list_send_one_IPI()
    {
        var s = new Scene(2, NoSharedLlc);
        s.Vm.Run();

        Assert.Equal(2, s.Vm.Metrics.Get("guest_ttwu_wakelist").Value);
        Assert.Equal(1, s.Vm.Metrics.Get("guest_ttwu_wakelist_ipis").Value);
        Assert.Equal(s.AfterEachWake[0].Ipis, s.AfterEachWake[1].Ipis); // the second add found the list non-empty
        Assert.All(s.AfterEachWake, w => Assert.Equal(TaskState.Waking, w.State));
        Assert.All(s.Sleepers, t => { Assert.Equal(1, t.Wakeups); Assert.Equal(TaskState.Exited, t.State); });
        Assert.All(s.Sleepers, t => Assert.Equal(1, t.Ran[1].Cpu));
    }

    [Theory]
    [InlineData(SchedClass.Eevdf)]
    [InlineData(SchedClass.Cfs)]
    public void With_a_shared_LLC_a_wakeup_of_a_busy_vcpus_task_sends_no_IPI_unless_it_preempts(SchedClass sched)
    {
        // The sleeper ran alone on vCPU1 and slept with no lag; the waker then forks a hog onto vCPU1 and wakes the
        // sleeper 0.3 ms into the hog's first slice: CFS sees no vruntime gap beyond the wakeup granularity, and under
        // EEVDF the wakee (no lag, deadline a slice on) does not have the earliest deadline against the hog's first,
        // half-slice one — no preemption, so no IPI, and the sleeper waits for the hog's slice to end. (A wake-up
        // that does preempt sends one reschedule IPI: WakeupTests, EevdfTests.)
        var wq = new WaitQueue();
        ScriptedTask sleeper = null!;
        sleeper = new ScriptedTask("sleeper", 1, (_, _) => { wq.Add(sleeper); return TaskStep.Block; },
            (_, _) => TaskStep.Compute(TestMachine.Ms(0.1)));
        var hog = new ScriptedTask("hog", 2, (_, _) => TaskStep.Compute(TestMachine.Ms(40)));
        (TaskState State, int Queued, long Ipis) before = default, after = default;
        long wokenAt = -1;
        Machine.VirtualMachine vm = null!;
        var waker = new ScriptedTask("waker", 3,
            (_, _) => TaskStep.Compute(TestMachine.Ms(0.5)),
            (k, cpu) => { k.WakeUpNewTask(cpu, hog, pinnedCpu: 1); return TaskStep.Compute(TestMachine.Ms(0.3)); },
            (k, cpu) =>
            {
                before = (sleeper.State, k.Rq(1).Queued, vm.Metrics.IpisSent.Value);
                wokenAt = cpu.Now;
                wq.WakeOne(k, cpu);
                after = (sleeper.State, k.Rq(1).Queued, vm.Metrics.IpisSent.Value);
                return TaskStep.Compute(TestMachine.Ms(60));
            });
        (vm, _) = TestMachine.Kernel(2, (k, cpu) =>
        {
            k.WakeUpNewTask(cpu, sleeper, pinnedCpu: 1);
            k.WakeUpNewTask(cpu, waker, pinnedCpu: 0);
        }, KernelConfig.Default with { Sched = sched });
        vm.Run();

        Assert.Equal((TaskState.Blocked, 0), (before.State, before.Queued));
        Assert.Equal((TaskState.Runnable, 1), (after.State, after.Queued)); // the waker activated it on vCPU1's queue
        Assert.Equal(before.Ipis, after.Ipis);                               // and sent nothing
        Assert.Equal(1, sleeper.Ran[1].Cpu);
        Assert.True(sleeper.Ran[1].Time > wokenAt + TestMachine.Ms(0.5), $"woken at {wokenAt}, ran at {sleeper.Ran[1].Time}");
    }

    [Fact]
    public void With_a_shared_LLC_a_wakeup_of_an_idle_vcpu_still_goes_through_its_wake_list()
    {
        // ttwu_queue_cond's second rule: nr_running == 0 on the target.
        var wq = new WaitQueue();
        ScriptedTask sleeper = null!;
        sleeper = new ScriptedTask("sleeper", 1, (_, _) => { wq.Add(sleeper); return TaskStep.Block; },
            (_, _) => TaskStep.Compute(TestMachine.Ms(0.1)));
        TaskState seen = TaskState.New;
        var waker = new ScriptedTask("waker", 2, (_, _) => TaskStep.Compute(TestMachine.Ms(2)),
            (k, cpu) => { wq.WakeOne(k, cpu); seen = sleeper.State; return TaskStep.Compute(TestMachine.Ms(1)); });
        var (vm, _) = TestMachine.Kernel(2, (k, cpu) =>
        {
            k.WakeUpNewTask(cpu, sleeper, pinnedCpu: 1);
            k.WakeUpNewTask(cpu, waker, pinnedCpu: 0);
        });
        vm.Run();

        Assert.Equal(TaskState.Waking, seen);
        Assert.Equal(1, vm.Metrics.Get("guest_ttwu_wakelist_ipis").Value);
        Assert.Equal(1, sleeper.Ran[1].Cpu);
    }

    [Fact]
    public void A_vcpu_with_wakeups_on_its_wake_list_is_not_idle_for_the_next_wakers_placement()
    {
        // idle_cpu() is false while rq->ttwu_pending is set: the second sleeper, whose vCPU1 just got the first one
        // queued on its wake list, is placed on the other idle vCPU instead.
        var wq = new WaitQueue();
        var sleepers = new ScriptedTask[2];
        for (int i = 0; i < 2; i++)
        {
            int j = i;
            sleepers[i] = new ScriptedTask($"s{i}", 1 + i, (_, _) => { wq.Add(sleepers[j]); return TaskStep.Block; },
                (_, _) => TaskStep.Compute(TestMachine.Ms(0.1)));
        }
        var waker = new ScriptedTask("waker", 5, (_, _) => TaskStep.Compute(TestMachine.Ms(2)),
            (k, cpu) => { wq.WakeAll(k, cpu); return TaskStep.Compute(TestMachine.Ms(1)); });
        var (vm, _) = TestMachine.Kernel(3, (k, cpu) =>
        {
            k.WakeUpNewTask(cpu, sleepers[0], pinnedCpu: 1);
            k.WakeUpNewTask(cpu, sleepers[1], pinnedCpu: 1);
            k.WakeUpNewTask(cpu, waker, pinnedCpu: 0);
        });
        vm.Run();

        Assert.Equal(1, sleepers[0].Ran[1].Cpu);
        Assert.Equal(2, sleepers[1].Ran[1].Cpu);
        Assert.Equal(2, vm.Metrics.Get("guest_ttwu_wakelist_ipis").Value);
    }
}
