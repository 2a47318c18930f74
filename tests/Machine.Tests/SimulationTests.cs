using IrqBench.Machine.Simulation;

namespace IrqBench.Machine.Tests;

public class SimulationTests
{
    private sealed class Recorder(EventQueue q) : IEventTarget
    {
        public readonly List<(long, int)> Seen = [];
        public void OnEvent(int kind, long arg) => Seen.Add((q.Now, kind));
    }

    [Fact]
    public void Events_run_in_time_order_and_in_posting_order_at_the_same_time()
    {
        var q = new EventQueue();
        var r = new Recorder(q);
        q.Post(20, r, 1); q.Post(10, r, 2); q.Post(20, r, 3); q.Post(10, r, 4);
        q.Run(long.MaxValue, () => false);
        Assert.Equal([(10L, 2), (10L, 4), (20L, 1), (20L, 3)], r.Seen);
    }

    [Fact]
    public void Posting_an_event_in_the_past_is_a_model_error()
    {
        var q = new EventQueue();
        var r = new Recorder(q);
        q.Post(10, r, 1);
        q.Step();
        Assert.Throws<InvalidOperationException>(() => q.Post(5, r, 1));
    }

    [Fact]
    public void Random_streams_depend_only_on_the_seed_and_the_name()
    {
        var a = DeterministicRandom.Derive(7, "hackbench");
        var b = DeterministicRandom.Derive(7, "hackbench");
        var c = DeterministicRandom.Derive(7, "kbuild");
        var d = DeterministicRandom.Derive(8, "hackbench");
        var xs = Enumerable.Range(0, 8).Select(_ => a.NextULong()).ToArray();
        Assert.Equal(xs, Enumerable.Range(0, 8).Select(_ => b.NextULong()));
        Assert.NotEqual(xs, Enumerable.Range(0, 8).Select(_ => c.NextULong()));
        Assert.NotEqual(xs, Enumerable.Range(0, 8).Select(_ => d.NextULong()));
    }

    [Fact]
    public void A_run_with_the_same_seed_gives_the_same_counters()
    {
        static string RunOnce()
        {
            var p = TestProfiles.Load("altra-vhe");
            var c = new ScriptedController();
            var vm = new VirtualMachine(p, 4, 42, c);
            vm.Boot(v =>
            {
                var rng = vm.Random($"cpu{v.Id.Value}");
                int left = 200;
                var prog = new ScriptedProgram { OnStart = cpu => cpu.RunWork(rng.NextLong(1000, 50_000)), OnInterrupt = cpu => c.Acknowledge(cpu) };
                prog.OnResume = cpu =>
                {
                    if (--left == 0) { cpu.Stop(); return; }
                    int target = rng.NextInt(vm.Vcpus.Count);
                    if (target != cpu.Id.Value) c.Inject(cpu, vm.Vcpus[target]);
                    if (rng.NextDouble() < 0.3) cpu.WaitForInterrupt(); else cpu.RunWork(rng.NextLong(1000, 50_000));
                };
                return prog;
            });
            vm.Run(limitCycles: 3_000_000_000);
            return string.Join(";", vm.Metrics.All.Select(x => x.ToString())) + $"@{vm.Queue.Now}";
        }
        Assert.Equal(RunOnce(), RunOnce());
    }
}
