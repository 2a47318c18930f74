using IrqBench.Workloads.Kernel;

namespace IrqBench.Workloads.Tests.Kernel;

/// <summary>PELT (kernel/sched/pelt.c) on a hand-driven sched_avg, and its bookkeeping through the kernel.</summary>
public class PeltTests
{
    private const ulong Period = 1024 * 1024; // ns: one PELT period of 1024 units of 1024 ns

    /// <summary>An entity on its queue (and running) from 0 to <paramref name="until"/>, updated every
    /// <paramref name="step"/> ns as the tick would.</summary>
    private static SchedAvg Runnable(ulong until, ulong step = 4_000_000)
    {
        var sa = new SchedAvg();
        for (ulong t = step; t <= until; t += step)
            if (Pelt.UpdateLoadSum(t, ref sa, 1, running: true)) Pelt.UpdateLoadAvg(ref sa, Pelt.Nice0Weight);
        return sa;
    }

    [Fact]
    public void The_decay_factor_halves_a_value_every_32_periods_and_multiplies_back_to_one_half()
    {
        ulong v = 1UL << 40, eps = v >> 30; // the table is y^n × (2^32 − 1): a relative error of 2^-32 a step
        Assert.InRange(Pelt.DecayLoad(v, 32), v / 2 - eps, v / 2);
        Assert.InRange(Pelt.DecayLoad(Pelt.DecayLoad(v, 16), 16), v / 2 - eps, v / 2 + eps); // y^16 · y^16 = 1/2
        Assert.InRange(Pelt.DecayLoad(v, 1), (ulong)(v * 0.97857), (ulong)(v * 0.97858));       // y = 2^(-1/32)
        Assert.Equal(0UL, Pelt.DecayLoad(v, 32 * 64));
    }

    [Fact]
    public void A_task_that_is_always_runnable_reaches_the_full_load_of_its_weight()
    {
        var sa = Runnable(400 * Period);
        Assert.InRange(sa.LoadAvg, 1010UL, 1024UL);
        Assert.InRange(sa.UtilAvg, 1010UL, 1024UL);
        Assert.InRange(sa.LoadSum, Pelt.MinDivider - 1024, Pelt.LoadAvgMax);
    }

    [Fact]
    public void PELT_load_halves_after_32_periods_of_1024_us_without_running()
    {
        var sa = Runnable(400 * Period);
        ulong before = sa.LoadAvg, t0 = sa.LastUpdateTime;

        Assert.True(Pelt.UpdateLoadSum(t0 + 32 * Period, ref sa, 0, running: false));
        Pelt.UpdateLoadAvg(ref sa, Pelt.Nice0Weight);

        Assert.InRange(sa.LoadAvg, before / 2 - 4, before / 2 + 4);
        Assert.InRange(sa.UtilAvg, before / 2 - 4, before / 2 + 4);
    }

    [Fact]
    public void A_sleepers_load_is_only_recomputed_when_a_period_boundary_is_crossed()
    {
        var sa = Runnable(400 * Period);
        ulong before = sa.LoadAvg;
        ulong t = sa.LastUpdateTime + (1024 - sa.PeriodContrib - 2) * 1024UL; // short of the period's end

        Assert.False(Pelt.UpdateLoadSum(t, ref sa, 0, running: false));
        Assert.Equal(before, sa.LoadAvg);
        Assert.True(Pelt.UpdateLoadSum(t + 4 * 1024, ref sa, 0, running: false));
    }

    [Fact]
    public void A_cpus_load_is_its_tasks_load_and_a_sleepers_load_stays_on_it_while_it_decays()
    {
        // vCPU1: a hog, and a task that runs 1 ms and sleeps 60 ms; the probe keeps vCPU0 busy so that nobody moves.
        var hog = new ScriptedTask("hog", 1, (_, _) => TaskStep.Compute(TestMachine.Ms(200)));
        ScriptedTask napper = null!;
        napper = new ScriptedTask("napper", 3, (_, _) => TaskStep.Compute(TestMachine.Ms(1)),
            (k, cpu) => k.SleepUntil(cpu, napper, cpu.Now + TestMachine.Ms(60)));
        ulong cpuLoad = 0, napperNow = 0;
        var probe = new ScriptedTask("probe", 4,
            (_, _) => TaskStep.Compute(TestMachine.Ms(40)),
            (k, _) =>
            {
                var rq = k.Rq(1);
                cpuLoad = GuestKernel.CpuLoad(rq);
                var sa = napper.Avg; // sync_entity_load_avg: the sleeper decayed to the queue's last update
                if (Pelt.UpdateLoadSum(rq.Avg.LastUpdateTime, ref sa, 0, running: false)) Pelt.UpdateLoadAvg(ref sa, Pelt.Nice0Weight);
                napperNow = sa.LoadAvg;
                return TaskStep.Exit;
            });
        var (vm, _) = TestMachine.Kernel(2, (k, cpu) =>
        {
            k.WakeUpNewTask(cpu, hog, pinnedCpu: 1);
            k.WakeUpNewTask(cpu, napper, pinnedCpu: 1);
            k.WakeUpNewTask(cpu, probe, pinnedCpu: 0);
        });
        vm.Run(TestMachine.Ms(45));

        Assert.Equal(TaskState.Blocked, napper.State);
        Assert.InRange(hog.LoadAvg, 1000UL, 1024UL);          // always on the queue
        Assert.InRange(napper.LoadAvg, 900UL, 1024UL);        // on it from its fork to its sleep, as last updated
        Assert.InRange(napperNow, 300UL, 700UL);              // ~35 ms asleep: about half of that
        Assert.InRange((double)cpuLoad, 0.95 * (hog.LoadAvg + napperNow), 1.05 * (hog.LoadAvg + napperNow));
    }
}
