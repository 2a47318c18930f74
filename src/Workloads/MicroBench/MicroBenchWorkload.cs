using IrqBench.Workloads.Parameters;

namespace IrqBench.Workloads.MicroBench;

/// <summary>micro-bench as a <c>run</c> workload: one test (<c>--set test=NAME</c>) in its 2-vCPU VM; the work unit is
/// one operation.</summary>
public sealed class MicroBenchWorkload : IWorkload
{
    public string Name => "microbench";
    public string Description => "kvm-unit-tests arm/micro-bench: one test, vCPU0 runs the operation, vCPU1 spins with IRQs unmasked";
    public int? FixedVcpus => 2;

    public IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        ParameterSpec.Text("test", "hvc", "the micro-benchmark to run (hvc, mmio_read_user, and the controller's own tests)"),
    ];

    public RunResult Run(RunSpec spec)
    {
        string name = spec.Parameters.GetString("test");
        var tests = MicroBenchRunner.TestsFor(spec.Kit);
        var test = tests.FirstOrDefault(t => t.Name == name)
            ?? throw new ParameterException($"workload microbench: test={name} does not exist for controller {spec.Kit.Name} (available: {string.Join(", ", tests.Select(t => t.Name))})");
        var r = MicroBenchRunner.Run(spec.Kit, spec.Profile, test, spec.Seed, trace: spec.Trace);
        if (r.Skipped is not null)
            throw new ParameterException($"workload microbench: test={name} is skipped on {spec.Kit.Name}: {r.Skipped}");
        return new RunResult(r.TotalCycles, r.Iterations, "op", r.Metrics!);
    }
}
