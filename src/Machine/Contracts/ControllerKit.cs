using IrqBench.Machine.Costs;

namespace IrqBench.Machine.Contracts;

/// <summary>
/// Everything a run needs of one controller design: the hypervisor side, the matching guest driver, its own
/// micro-benchmarks and the cost primitives it reads. Only the Harness maps a name to a kit; workloads receive one.
/// </summary>
public sealed record ControllerKit(
    string Name,
    Func<IIrqController> CreateController,
    Func<VirtualMachine, IGuestIrqChip> CreateGuestChip,
    Func<IReadOnlyList<IMicroBenchmark>> MicroBenchmarks,
    IReadOnlyList<PrimitiveSpec> Primitives)
{
    /// <summary>What an untrusted host can reach of the attached controller (the trust comparison); null when the
    /// design does not say.</summary>
    public Func<IIrqController, Organisation, IHostAttackSurface>? HostSurface { get; init; }

    /// <summary>What the trusted part must implement under an organisation, counted from the design's tables.</summary>
    public Func<Organisation, TrustedSurface>? Surface { get; init; }

    /// <summary>The profile section this design's primitives live in (null: it charges none of its own).</summary>
    public string? CostSection => Primitives.Count == 0 ? null : Primitives[0].Section;
}
