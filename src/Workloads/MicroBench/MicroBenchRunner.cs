using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Metrics;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Workloads.MicroBench;

/// <summary>One micro-benchmark row: what kvm-unit-tests prints (iterations, total and average ns) plus exits per
/// operation, and the published figure for the profile's machine where there is one.</summary>
public sealed record MicroBenchResult(
    string Controller, string Profile, string Test, int Iterations, long TotalCycles, double TotalNs, double AvgNs,
    double ExitsPerOp, double? PublishedNs, string? PublishedSource, string? Skipped, MetricSet? Metrics, long SimCycles)
{
    public double? Ratio => PublishedNs is > 0 && Skipped is null ? AvgNs / PublishedNs : null;
}

/// <summary>Runs micro-benchmarks, each in a fresh 2-vCPU VM.</summary>
public static class MicroBenchRunner
{
    /// <summary>The tests that need no interrupt controller, then the kit's own, in kvm-unit-tests' order.</summary>
    public static IReadOnlyList<IMicroBenchmark> TestsFor(ControllerKit kit)
    {
        var all = new List<IMicroBenchmark> { new HvcTest(), new MmioReadUserTest() };
        all.AddRange(kit.MicroBenchmarks());
        return all;
    }

    public static MicroBenchResult Run(ControllerKit kit, CostProfile profile, IMicroBenchmark test, ulong seed)
    {
        var published = PublishedFigures.Find(profile.PublishedMachine, test.Name);
        if (test.SkipReason is { } why)
            return new(kit.Name, profile.Name, test.Name, 0, 0, 0, 0, 0, published?.Ns, published?.Source, why, null, 0);

        var vm = new VirtualMachine(profile, 2, seed, kit.CreateController());
        var ctx = new MicroBenchContext(vm, kit.CreateGuestChip(vm));
        var ready = new GuestFlag();
        var handlers = new MicroBenchHandlers(ctx);
        var main = new MicroBenchMain(ctx, test, ready, handlers);
        vm.Boot(cpu => cpu.Id.Value == 0 ? main : new MicroBenchSecondary(ctx, ready, handlers));
        vm.Run();
        if (main.LoopEnd == 0)
            throw new InvalidOperationException($"micro-bench {test.Name} on {kit.Name}: the loop did not finish (the simulation ran out of events at {vm.Queue.Now} cycles)");

        long total = main.LoopEnd - main.LoopStart;
        double totalNs = profile.CyclesToNs(total);
        double avgNs = profile.CyclesToNs((double)total / test.Iterations - test.FixedDelayCycles(profile));
        double exitsPerOp = (double)(main.ExitsAtEnd - main.ExitsAtStart) / test.Iterations;
        return new(kit.Name, profile.Name, test.Name, test.Iterations, total, totalNs, avgNs, exitsPerOp,
            published?.Ns, published?.Source, null, vm.Metrics, vm.Queue.Now);
    }
}
