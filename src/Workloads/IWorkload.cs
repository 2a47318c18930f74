using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Metrics;
using IrqBench.Workloads.Parameters;

namespace IrqBench.Workloads;

/// <summary>A guest workload. It sees interrupt controllers only through the kit's <see cref="IGuestIrqChip"/>.</summary>
public interface IWorkload
{
    string Name { get; }
    string Description { get; }
    IReadOnlyList<ParameterSpec> Parameters { get; }

    /// <summary>The vCPU count the workload needs, or null when any count ≥ 1 works.</summary>
    int? FixedVcpus { get; }

    RunResult Run(RunSpec spec);
}

/// <summary>What one run is: controller, profile, vCPUs, seed and parameter values.</summary>
public sealed record RunSpec(ControllerKit Kit, CostProfile Profile, int Vcpus, ulong Seed, WorkloadParameters Parameters)
{
    /// <summary>Where the run's timeline goes (null: not traced). Tracing never changes what the run does.</summary>
    public Machine.Tracing.ITraceSink? Trace { get; init; }
}

/// <summary>What a run measured. <see cref="WorkUnits"/> of <see cref="WorkUnit"/> were done in
/// <see cref="SimCycles"/> of simulated time.</summary>
public sealed record RunResult(long SimCycles, double WorkUnits, string WorkUnit, MetricSet Metrics);
