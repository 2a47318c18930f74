using IrqBench.Workloads.Kernel;

namespace IrqBench.Workloads.Tests.Kernel;

public class WakeupTests
{
    [Fact]
    public void Waking_a_task_whose_vcpu_is_idle_queues_it_on_that_vcpus_wake_list_with_one_call_function_IPI_and_wakes_that_vcpu_once()
    {
        var wq = new WaitQueue();
        long ipisBefore = -1, resumesBefore = -1, ipisAfterWake = -1, callsBefore = -1, reschedBefore = -1;
        ScriptedTask sleeper = null!;
        sleeper = new ScriptedTask("sleeper", 1,
            (_, _) => { wq.Add(sleeper); return TaskStep.Block; },
            (_, _) => TaskStep.Compute(TestMachine.Ms(1)));
        ScriptedTask waker = null!;
        (Machine.VirtualMachine vm, GuestKernel k) = (null!, null!);
        waker = new ScriptedTask("waker", 2,
            (_, _) => TaskStep.Compute(TestMachine.Ms(5)), // long enough for vCPU1 to halt and its thread to sleep
            (kk, cpu) =>
            {
                ipisBefore = vm.Metrics.IpisSent.Value;
                callsBefore = vm.Metrics.Get("guest_call_function_ipis_sent").Value;
                reschedBefore = vm.Metrics.Get("guest_resched_ipis_sent").Value;
                resumesBefore = vm.Metrics.Wakeups.Value + vm.Metrics.HaltPollHits.Value;
                wq.WakeOne(kk, cpu);
                ipisAfterWake = vm.Metrics.IpisSent.Value;
                return TaskStep.Compute(TestMachine.Ms(2));
            });
        (vm, k) = TestMachine.Kernel(2, (kk, cpu) =>
        {
            kk.WakeUpNewTask(cpu, waker, pinnedCpu: 0);
            kk.WakeUpNewTask(cpu, sleeper, pinnedCpu: 1);
        });
        vm.Run();

        Assert.Equal(1, ipisAfterWake - ipisBefore);
        Assert.Equal(1, vm.Metrics.IpisSent.Value - ipisBefore); // and no other IPI afterwards
        Assert.Equal(1, vm.Metrics.Get("guest_call_function_ipis_sent").Value - callsBefore); // the wake list's IPI
        Assert.Equal(0, vm.Metrics.Get("guest_resched_ipis_sent").Value - reschedBefore);
        Assert.Equal(1, vm.Metrics.Wakeups.Value + vm.Metrics.HaltPollHits.Value - resumesBefore);
        Assert.Equal(1, sleeper.Wakeups);
        Assert.Equal(TaskState.Exited, sleeper.State);
        Assert.Equal(1, sleeper.Ran[1].Cpu); // its idle previous vCPU was chosen
        Assert.True(sleeper.Ran[1].Time > waker.Ran[1].Time);
    }

    [Fact]
    public void A_wakeup_on_the_wakers_own_vcpu_sends_no_IPI()
    {
        var wq = new WaitQueue();
        long ipisBefore = -1, ipisAfterWake = -1, reschedBefore = -1;
        ScriptedTask sleeper = null!;
        sleeper = new ScriptedTask("sleeper", 1,
            (_, _) => { wq.Add(sleeper); return TaskStep.Block; },
            (_, _) => TaskStep.Compute(TestMachine.Ms(1)));
        // vCPU1 is kept busy, so no vCPU is idle and the wakee goes back to its previous vCPU: the waker's.
        var hog = new ScriptedTask("hog", 3, (_, _) => TaskStep.Compute(TestMachine.Ms(20)));
        Machine.VirtualMachine vm = null!;
        var waker = new ScriptedTask("waker", 2,
            (_, _) => TaskStep.Compute(TestMachine.Ms(3)),
            (kk, cpu) =>
            {
                ipisBefore = vm.Metrics.IpisSent.Value;
                reschedBefore = vm.Metrics.Get("guest_resched_ipis_sent").Value;
                wq.WakeOne(kk, cpu);
                ipisAfterWake = vm.Metrics.IpisSent.Value;
                return TaskStep.Compute(TestMachine.Ms(2));
            });
        (vm, _) = TestMachine.Kernel(2, (kk, cpu) =>
        {
            kk.WakeUpNewTask(cpu, sleeper, pinnedCpu: 0);
            kk.WakeUpNewTask(cpu, waker, pinnedCpu: 0);
            kk.WakeUpNewTask(cpu, hog, pinnedCpu: 1);
        });
        vm.Run();

        Assert.Equal(ipisBefore, ipisAfterWake);
        // Nor a reschedule IPI later (once vCPU0 idles, the hog's tick may kick it for the blocked-load update).
        Assert.Equal(0, vm.Metrics.Get("guest_resched_ipis_sent").Value - reschedBefore);
        Assert.Equal(1, sleeper.Wakeups);
        Assert.Equal(0, sleeper.Ran[1].Cpu);
        Assert.Equal(TaskState.Exited, sleeper.State);
    }

    [Fact]
    public void A_wakee_that_should_preempt_a_busy_vcpu_gets_it_through_a_reschedule_IPI()
    {
        var wq = new WaitQueue();
        ScriptedTask sleeper = null!;
        sleeper = new ScriptedTask("sleeper", 1,
            (_, _) => { wq.Add(sleeper); return TaskStep.Block; },
            (_, _) => TaskStep.Compute(TestMachine.Ms(0.1)));
        // vCPU1's hog has run 30 ms when the sleeper (last run at time 0) is woken: far more than the wakeup
        // granularity, so the sleeper preempts it instead of waiting for the hog's 50 ms to end.
        var hog = new ScriptedTask("hog", 3, (_, _) => TaskStep.Compute(TestMachine.Ms(50)));
        var waker = new ScriptedTask("waker", 2,
            (_, _) => TaskStep.Compute(TestMachine.Ms(30)),
            (kk, cpu) => { wq.WakeOne(kk, cpu); return TaskStep.Compute(TestMachine.Ms(40)); });
        var (vm, _) = TestMachine.Kernel(2, (kk, cpu) =>
        {
            kk.WakeUpNewTask(cpu, sleeper, pinnedCpu: 1);
            kk.WakeUpNewTask(cpu, hog, pinnedCpu: 1);
            kk.WakeUpNewTask(cpu, waker, pinnedCpu: 0);
        });
        vm.Run();

        Assert.Equal(1, sleeper.Ran[1].Cpu);
        Assert.True(sleeper.Ran[1].Time < TestMachine.Ms(31), $"the sleeper ran at {sleeper.Ran[1].Time}, after the hog's slice");
        Assert.Equal(1, hog.Preemptions);
    }
}
