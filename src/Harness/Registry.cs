using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Ideal;
using IrqBench.Workloads;
using IrqBench.Workloads.Hackbench;
using IrqBench.Workloads.Kbuild;
using IrqBench.Workloads.Kernel;
using IrqBench.Workloads.MicroBench;
using IrqBench.Workloads.Trace;

namespace IrqBench.Harness;

/// <summary>The one place that maps names to concrete controllers and workloads (DESIGN §1).</summary>
public static class Registry
{
    public static IReadOnlyList<ControllerKit> Controllers { get; } =
    [
        IrqBench.Gicv3.Gicv3Kit.Kit,
        IrqBench.Gicv3.Gicv3Kit.Gicv41Kit,
        IrqBench.Rvic.RvicKit.Kit,
        IdealGuestIrqChip.Kit,
    ];

    public static IReadOnlyList<IWorkload> Workloads { get; } =
    [
        new MicroBenchWorkload(),
        new HackbenchWorkload(),
        new KbuildWorkload(),
        new TraceWorkload(),
    ];

    /// <summary>Every primitive any component charges: what a profile must define.</summary>
    public static IReadOnlyList<PrimitiveSpec> ProfileSchema { get; } =
        MachinePrimitives.Specs
            .Concat(Controllers.SelectMany(c => c.Primitives))
            .Concat(GuestSpecs)
            .DistinctBy(s => (s.Section, s.Name))
            .ToArray();

    private static IEnumerable<PrimitiveSpec> GuestSpecs => GuestCosts.Specs;

    public static ControllerKit? FindController(string name) => Controllers.FirstOrDefault(c => c.Name == name);
    public static IWorkload? FindWorkload(string name) => Workloads.FirstOrDefault(w => w.Name == name);

    public static IReadOnlyList<string> ControllerNames => Controllers.Select(c => c.Name).ToList();
    public static IReadOnlyList<string> WorkloadNames => Workloads.Select(w => w.Name).ToList();

    /// <summary>The one wording of an unknown name, everywhere a name is checked: the value and the valid ones.</summary>
    public static string Unknown(string what, string name, IEnumerable<string> valid) =>
        $"unknown {what} '{name}' (valid: {string.Join(", ", valid)})";

    public static ControllerKit Controller(string name) =>
        FindController(name) ?? throw new InputException(Unknown("controller", name, ControllerNames));

    public static IWorkload Workload(string name) =>
        FindWorkload(name) ?? throw new InputException(Unknown("workload", name, WorkloadNames));
}
