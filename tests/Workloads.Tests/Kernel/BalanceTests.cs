using IrqBench.Machine.Contracts;
using IrqBench.Workloads.Kernel;

namespace IrqBench.Workloads.Tests.Kernel;

public class BalanceTests
{
    [Fact]
    public void A_busy_vcpus_tick_kicks_an_idle_vcpu_with_a_call_function_IPI_and_it_pulls_a_waiting_task()
    {
        var hogs = Enumerable.Range(0, 3).Select(i => new ScriptedTask($"hog{i}", i + 1, (_, _) => TaskStep.Compute(TestMachine.Ms(20)))).ToArray();
        var (vm, _) = TestMachine.Kernel(2, (k, cpu) => { foreach (var h in hogs) k.WakeUpNewTask(cpu, h, pinnedCpu: 0); });
        vm.Run();

        Assert.Equal(1, vm.Metrics.Get("guest_nohz_balance_kicks").Value);
        // A task moved at vCPU0's first tick (4 ms in): 60 ms of work on 2 vCPUs ends near 32 ms, where without the
        // kick vCPU1 would stay idle and the work would end near 60 ms.
        Assert.True(hogs.Any(h => h.Ran[^1].Cpu == 1 && h.Ran[^1].Time < TestMachine.Ms(25)), "a hog finished on vCPU1 by 25 ms");
        Assert.True(hogs.Max(h => h.Ran[^1].Time) < TestMachine.Ms(36));
    }

    [Fact]
    public void A_vcpu_about_to_idle_pulls_a_task_waiting_elsewhere()
    {
        var shortOne = new ScriptedTask("short", 1, (_, _) => TaskStep.Compute(TestMachine.Ms(1)));
        var hogs = Enumerable.Range(0, 2).Select(i => new ScriptedTask($"hog{i}", i + 2, (_, _) => TaskStep.Compute(TestMachine.Ms(20)))).ToArray();
        var (vm, k) = TestMachine.Kernel(2, (kk, cpu) =>
        {
            kk.WakeUpNewTask(cpu, shortOne, pinnedCpu: 1);
            foreach (var h in hogs) kk.WakeUpNewTask(cpu, h, pinnedCpu: 0);
        });
        vm.Run();

        Assert.True(vm.Metrics.Get("guest_newidle_pulls").Value >= 1);
        Assert.Contains(hogs, h => h.Ran.Any(r => r.Cpu == 1 && r.Time < TestMachine.Ms(2)));
        Assert.Equal(0, vm.Metrics.Get("guest_nohz_balance_kicks").Value);
    }

    [Fact]
    public void A_forked_task_goes_to_the_idle_vcpu_with_the_least_util_not_the_first_idle_one()
    {
        // sched_balance_find_dst_group: among idle vCPUs the one with the lowest util_avg. The first child runs on
        // vCPU1 and sleeps there, leaving its util (post_init_entity_util_avg gave it half the spare capacity); the
        // second goes to the untouched vCPU2.
        var wq = new WaitQueue();
        ScriptedTask Child(string name, int mm)
        {
            ScriptedTask c = null!;
            c = new ScriptedTask(name, mm, (_, _) => { wq.Add(c); return TaskStep.Block; });
            return c;
        }
        var a = Child("a", 2);
        var b = Child("b", 3);
        var parent = new ScriptedTask("parent", 1,
            (k, cpu) => { k.WakeUpNewTask(cpu, a); return TaskStep.Compute(TestMachine.Ms(1)); },
            (k, cpu) => { k.WakeUpNewTask(cpu, b); return TaskStep.Compute(TestMachine.Ms(1)); });
        var (vm, k) = TestMachine.Kernel(3, (kk, cpu) => kk.WakeUpNewTask(cpu, parent, pinnedCpu: 0));
        vm.Run(TestMachine.Ms(5));

        Assert.Equal(1, a.Ran[0].Cpu);
        Assert.Equal(2, b.Ran[0].Cpu);
        Assert.True(GuestKernel.CpuUtil(k.Rq(1)) > 0);
    }

    [Fact]
    public void An_idle_vcpus_blocked_load_is_decayed_by_the_stats_kick_of_a_busy_vcpus_tick()
    {
        // NOHZ_STATS_KICK: vCPU1 ran a task for 30 ms and sleeps with its load; vCPU0's tick kicks an idle vCPU every
        // LOAD_AVG_PERIOD ms to update the idle vCPUs' blocked load, which otherwise would stay as it was at 30 ms.
        var wq = new WaitQueue();
        ScriptedTask napper = null!;
        napper = new ScriptedTask("napper", 1, (_, _) => TaskStep.Compute(TestMachine.Ms(30)),
            (_, _) => { wq.Add(napper); return TaskStep.Block; });
        var hog = new ScriptedTask("hog", 2, (_, _) => TaskStep.Compute(TestMachine.Ms(200)));
        var (vm, k) = TestMachine.Kernel(2, (kk, cpu) =>
        {
            kk.WakeUpNewTask(cpu, napper, pinnedCpu: 1);
            kk.WakeUpNewTask(cpu, hog, pinnedCpu: 0);
        });
        vm.Run(TestMachine.Ms(130));

        Assert.True(vm.Metrics.Get("guest_nohz_balance_kicks").Value >= 2);
        Assert.True(napper.LoadAvg > 900, $"the sleeper's own load as last updated: {napper.LoadAvg}");
        Assert.True(GuestKernel.CpuLoad(k.Rq(1)) < 400, $"vCPU1's load {GuestKernel.CpuLoad(k.Rq(1))} was not decayed");
    }
}
