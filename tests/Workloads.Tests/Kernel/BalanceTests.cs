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
}
