using IrqBench.Workloads.Kernel;

namespace IrqBench.Workloads.Tests.Kernel;

public class TickTests
{
    [Fact]
    public void The_tick_runs_at_250_Hz_on_a_busy_vcpu_and_stops_on_idle_ones()
    {
        var hog = new ScriptedTask("hog", 1, (_, _) => TaskStep.Compute(TestMachine.Ms(100)));
        var (vm, k) = TestMachine.Kernel(4, (kk, cpu) => kk.WakeUpNewTask(cpu, hog, pinnedCpu: 0));
        vm.Run();

        // 100 ms at HZ=250 is 25 ticks (one more or less depending on where the jiffy grid falls).
        Assert.InRange(k.Rq(0).Ticks, 24, 26);
        for (int i = 1; i < 4; i++) Assert.Equal(0, k.Rq(i).Ticks);
        Assert.False(vm.Vcpus[0].Timer.Enabled); // after the hog exits, vCPU0 is idle too: tick stopped
    }

    [Theory]
    [InlineData(SchedClass.Eevdf)]
    [InlineData(SchedClass.Cfs)]
    public void The_tick_preempts_a_task_that_used_its_slice_while_another_waits(SchedClass sched)
    {
        // One vCPU: a 0.75 ms slice is always used up by the next 4 ms tick (EEVDF: update_deadline gives a new
        // deadline and reschedules; CFS: check_preempt_tick), so the two hogs swap at every tick while both run.
        var a = new ScriptedTask("a", 1, (_, _) => TaskStep.Compute(TestMachine.Ms(40)));
        var b = new ScriptedTask("b", 2, (_, _) => TaskStep.Compute(TestMachine.Ms(40)));
        var (vm, k) = TestMachine.Kernel(1, (kk, cpu) => { kk.WakeUpNewTask(cpu, a); kk.WakeUpNewTask(cpu, b); },
            KernelConfig.Default with { Sched = sched });
        vm.Run();

        Assert.True(a.Preemptions > 0 && b.Preemptions > 0, $"preemptions a={a.Preemptions} b={b.Preemptions}");
        Assert.InRange(vm.Metrics.Get("guest_preempt_tick").Value, 15, 21); // 80 ms of work, a tick every 4 ms
        Assert.Equal(TaskState.Exited, a.State);
        Assert.Equal(TaskState.Exited, b.State);
        // Both finished: 80 ms of work on one vCPU.
        Assert.True(vm.Queue.Now >= TestMachine.Ms(80));
    }
}
