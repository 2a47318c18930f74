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
    /// <summary>kvm-unit-tests' order (arm/micro-bench.c), which the tables follow.</summary>
    private static readonly string[] Order = ["hvc", "mmio_read_user", "mmio_read_vgic", "eoi", "ipi", "ipi_hw", "lpi", "timer_10ms"];

    /// <summary>The tests written against the machine and the guest irqchip contract only, run on every controller.</summary>
    private static IMicroBenchmark[] Generic() => [new HvcTest(), new MmioReadUserTest(), new IpiTest(), new Timer10msTest()];

    /// <summary>The generic tests, each replaced by the kit's test of the same name where it has one, plus the kit's
    /// own, in kvm-unit-tests' order.</summary>
    public static IReadOnlyList<IMicroBenchmark> TestsFor(ControllerKit kit)
    {
        var own = kit.MicroBenchmarks();
        var all = Generic().Where(g => own.All(o => o.Name != g.Name)).Concat(own);
        return all.OrderBy(t => Array.IndexOf(Order, t.Name) is var i && i >= 0 ? i : Order.Length).ToList();
    }

    /// <summary>Runs <paramref name="test"/> for its own iteration count, or <paramref name="iterations"/> (tests use
    /// fewer).</summary>
    public static MicroBenchResult Run(ControllerKit kit, CostProfile profile, IMicroBenchmark test, ulong seed, int? iterations = null,
        Machine.Tracing.ITraceSink? trace = null)
    {
        int n = iterations ?? test.Iterations;
        var published = PublishedFigures.Find(profile.PublishedMachine, test.Name);
        if (test.SkipReason is { } why)
            return new(kit.Name, profile.Name, test.Name, 0, 0, 0, 0, 0, published?.Ns, published?.Source, why, null, 0);

        var vm = new VirtualMachine(profile, 2, seed, kit.CreateController()) { Trace = trace };
        var ctx = new MicroBenchContext(vm, kit.CreateGuestChip(vm));
        var ready = new GuestFlag();
        var handlers = new MicroBenchHandlers(ctx);
        var main = new MicroBenchMain(ctx, test, n, ready, handlers);
        vm.Boot(cpu => cpu.Id.Value == 0 ? main : new MicroBenchSecondary(ctx, ready, handlers));
        vm.Run();
        if (main.LoopEnd == 0)
            throw new InvalidOperationException($"micro-bench {test.Name} on {kit.Name}: the loop did not finish (the simulation ran out of events at {vm.Queue.Now} cycles)");

        long total = main.LoopEnd - main.LoopStart;
        double totalNs = profile.CyclesToNs(total);
        double avgNs = profile.CyclesToNs((double)total / n - test.FixedDelayCycles(profile));
        double exitsPerOp = (double)(main.ExitsAtEnd - main.ExitsAtStart) / n;
        return new(kit.Name, profile.Name, test.Name, n, total, totalNs, avgNs, exitsPerOp,
            published?.Ns, published?.Source, null, vm.Metrics, vm.Queue.Now);
    }
}
