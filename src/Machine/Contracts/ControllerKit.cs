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
    IReadOnlyList<PrimitiveSpec> Primitives);
