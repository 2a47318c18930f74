using IrqBench.Machine;
using IrqBench.Workloads.Kernel;

namespace IrqBench.Workloads.Tests.Kernel;

/// <summary>select_task_rq_fair's wake-up path: record_wakee, wake_wide, wake_affine (WA_IDLE, WA_WEIGHT, WA_BIAS),
/// WF_SYNC, then select_idle_sibling.</summary>
public class WakeAffineTests
{
    /// <summary>
    /// Three vCPUs, none idle when the wake-up comes: the waker runs alone on vCPU0; the sleeper ran on vCPU1 and
    /// sleeps there beside a hog; vCPU2 runs a hog too. At 20 ms the waker wakes the sleeper (sync or not) and the
    /// scene records where it was queued.
    /// </summary>
    private sealed class Scene
    {
        public readonly ScriptedTask Waker, Sleeper;
        public readonly VirtualMachine Vm;
        public readonly GuestKernel K;
        public int QueuedOn = -1;

        public Scene(bool sync, uint wakerFlips = 0, uint sleeperFlips = 0, KernelConfig? config = null)
        {
            var wq = new WaitQueue();
            ScriptedTask sleeper = null!;
            sleeper = new ScriptedTask("sleeper", 1, (_, _) => { wq.Add(sleeper); return TaskStep.Block; },
                (_, _) => TaskStep.Compute(TestMachine.Ms(0.1)));
            Sleeper = sleeper;
            var hogs = new[] { new ScriptedTask("hog1", 2, (_, _) => TaskStep.Compute(TestMachine.Ms(60))),
                               new ScriptedTask("hog2", 3, (_, _) => TaskStep.Compute(TestMachine.Ms(60))) };
            VirtualMachine vm = null!;
            GuestKernel k = null!;
            Waker = new ScriptedTask("waker", 4,
                (_, _) =>
                {
                    Waker!.Wakee.Flips = wakerFlips;
                    Sleeper.Wakee.Flips = sleeperFlips;
                    return TaskStep.Compute(TestMachine.Ms(20));
                },
                (kk, cpu) =>
                {
                    wq.WakeOne(kk, cpu, sync);
                    QueuedOn = Sleeper.State == TaskState.Runnable ? Sleeper.Cpu : -1;
                    return TaskStep.Compute(TestMachine.Ms(1));
                });
            (vm, k) = TestMachine.Kernel(3, (kk, cpu) =>
            {
                kk.WakeUpNewTask(cpu, sleeper, pinnedCpu: 1);
                kk.WakeUpNewTask(cpu, hogs[0], pinnedCpu: 1);
                kk.WakeUpNewTask(cpu, hogs[1], pinnedCpu: 2);
                kk.WakeUpNewTask(cpu, Waker, pinnedCpu: 0);
            }, config);
            Vm = vm;
            K = k;
            vm.Run(TestMachine.Ms(25));
        }
    }

    [Fact]
    public void A_sync_wakeup_from_a_cpu_whose_only_task_is_the_waker_lands_on_the_wakers_cpu()
    {
        var s = new Scene(sync: true);
        Assert.Equal(0, s.QueuedOn);
        Assert.Equal(1, s.Vm.Metrics.Get("guest_wake_affine").Value);
    }

    [Fact]
    public void The_same_wakeup_without_WF_SYNC_stays_on_the_previous_cpu_that_carries_less_than_the_bias_more_load()
    {
        // wake_affine_weight: vCPU0 carries the waker's full load plus the wakee's; vCPU1 the hog's plus the wakee's
        // decaying blocked load, less the wakee: 100 × (1024 + p) is not below 108 × (1024 + blocked − p).
        var s = new Scene(sync: false);
        Assert.Equal(1, s.QueuedOn);
        Assert.Equal(0, s.Vm.Metrics.Get("guest_wake_affine").Value);
    }

    [Fact]
    public void Without_wake_affine_a_sync_wakeup_stays_on_the_previous_cpu()
    {
        var s = new Scene(sync: true, config: KernelConfig.Default with { WakeAffine = false });
        Assert.Equal(1, s.QueuedOn);
    }

    [Fact]
    public void A_task_whose_waker_wakes_many_others_is_woken_wide_on_its_previous_cpu()
    {
        // wake_wide with sd_llc_size 3: the sleeper has flipped 4 times (≥ 3) and the waker 65 with this wake-up
        // (≥ 3 × 4): the wakee is not pulled affine, even by a sync waker alone on its CPU.
        var wide = new Scene(sync: true, wakerFlips: 64, sleeperFlips: 4);
        Assert.Equal(1, wide.QueuedOn);
        Assert.Equal(1, wide.Vm.Metrics.Get("guest_wake_wide").Value);

        // Either condition short of it and the wake-up is affine again.
        Assert.Equal(0, new Scene(sync: true, wakerFlips: 64, sleeperFlips: 2).QueuedOn);  // the wakee flips < llc size
        Assert.Equal(0, new Scene(sync: true, wakerFlips: 10, sleeperFlips: 4).QueuedOn);  // the waker (11 with this flip) < 3 × 4
    }

    [Fact]
    public void Record_wakee_counts_a_flip_per_change_of_wakee_and_halves_the_count_once_after_a_second()
    {
        var (_, k) = TestMachine.Kernel(1, (_, _) => { });
        var waker = new ScriptedTask("waker", 1);
        var a = new ScriptedTask("a", 2);
        var b = new ScriptedTask("b", 3);
        long jiffy = k.TickPeriod;

        k.RecordWakee(waker.Wakee, a, 1 * jiffy);
        k.RecordWakee(waker.Wakee, a, 2 * jiffy); // the same wakee: no flip
        k.RecordWakee(waker.Wakee, b, 3 * jiffy);
        k.RecordWakee(waker.Wakee, a, 4 * jiffy);
        Assert.Equal(3u, waker.WakeeFlips);

        k.RecordWakee(waker.Wakee, a, GuestKernel.Hz * jiffy);       // HZ jiffies after the last decay (at 0): not yet
        Assert.Equal(3u, waker.WakeeFlips);
        k.RecordWakee(waker.Wakee, a, (5 * GuestKernel.Hz + 1) * jiffy); // five seconds on: halved once, not five times
        Assert.Equal(1u, waker.WakeeFlips);
    }

    [Theory]
    [InlineData(1070, 1000, 0, false, true)]   // 107000 < 108000: WA_BIAS lets the waker's CPU carry 8 % more
    [InlineData(1080, 1000, 0, false, false)]  // 108000 is not below 108000
    [InlineData(1090, 1000, 0, false, false)]
    [InlineData(1000, 1000, 300, false, false)] // the wakee counts on both sides: 130000 against 75600
    [InlineData(1580, 1000, 0, true, true)]    // sync: the waker's 500 leaves with it: 108000 against 108000 + 1
    [InlineData(1590, 1000, 0, true, false)]
    public void Wake_affine_weight_compares_the_wakers_cpu_with_the_wakee_against_the_previous_one_without_it_biased_by_half_the_imbalance_pct(
        int thisLoad, int prevLoad, int taskLoad, bool sync, bool affine)
    {
        var (_, k) = TestMachine.Kernel(2, (_, _) => { });
        var current = new ScriptedTask("waker", 1);
        current.Avg.LoadAvg = 500;
        k.Rq(0).Curr = current;
        k.Rq(0).Avg.LoadAvg = (ulong)thisLoad;
        k.Rq(1).Avg.LoadAvg = (ulong)prevLoad;
        var p = new ScriptedTask("wakee", 2);
        p.Avg.LoadAvg = (ulong)taskLoad;

        Assert.Equal(affine ? 0 : -1, k.WakeAffineWeight(p, 0, 1, sync));
    }

    [Fact]
    public void A_sync_waker_that_carries_more_than_its_cpus_load_takes_the_wakee_at_once()
    {
        var (_, k) = TestMachine.Kernel(2, (_, _) => { });
        var current = new ScriptedTask("waker", 1);
        current.Avg.LoadAvg = 900;
        k.Rq(0).Curr = current;
        k.Rq(0).Avg.LoadAvg = 800; // the queue's average lags the task's: it just arrived
        k.Rq(1).Avg.LoadAvg = 0;
        var p = new ScriptedTask("wakee", 2);

        Assert.Equal(0, k.WakeAffineWeight(p, 0, 1, sync: true));
        Assert.Equal(-1, k.WakeAffineWeight(p, 0, 1, sync: false));
    }

    [Fact]
    public void Pipe_and_socket_wakeups_are_synchronous_and_a_timer_wakeup_is_not()
    {
        var pipe = new MessageBuffer(BufferKind.Pipe(), 100);
        ScriptedTask reader = null!, napper = null!;
        reader = new ScriptedTask("reader", 1, (k, cpu) => { pipe.Readers.Add(reader); return TaskStep.Block; },
            (_, _) => TaskStep.Compute(TestMachine.Ms(0.1)));
        napper = new ScriptedTask("napper", 2, (k, cpu) => k.SleepUntil(cpu, napper, cpu.Now + TestMachine.Ms(3)));
        var writer = new ScriptedTask("writer", 3, (_, _) => TaskStep.Compute(TestMachine.Ms(1)),
            (k, cpu) => { pipe.Write(k, cpu); return TaskStep.Compute(TestMachine.Ms(5)); });
        var (vm, _) = TestMachine.Kernel(2, (k, cpu) =>
        {
            k.WakeUpNewTask(cpu, reader, pinnedCpu: 1);
            k.WakeUpNewTask(cpu, napper, pinnedCpu: 1);
            k.WakeUpNewTask(cpu, writer, pinnedCpu: 0);
        });
        vm.Run();

        Assert.Equal(2, vm.Metrics.Get("guest_wakeups").Value);
        Assert.Equal(1, vm.Metrics.Get("guest_wakeups_sync").Value);
        Assert.Equal(1, reader.Wakeups);
        Assert.Equal(1, napper.Wakeups);
    }
}
