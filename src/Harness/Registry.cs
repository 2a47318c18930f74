using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Workloads;
using IrqBench.Workloads.Hackbench;
using IrqBench.Workloads.Kbuild;
using IrqBench.Workloads.Kernel;
using IrqBench.Workloads.MicroBench;
using IrqBench.Workloads.Trace;

namespace IrqBench.Harness;

/// <summary>The one place that maps names to controller designs and workloads (DESIGN §1). The designs are found, not
/// listed (<see cref="KitDiscovery"/>).</summary>
public static class Registry
{
    public static IReadOnlyList<ControllerKit> Controllers => controllers.Value;
    private static readonly Lazy<IReadOnlyList<ControllerKit>> controllers = new(KitDiscovery.Discover);

    public static IReadOnlyList<IWorkload> Workloads { get; } =
    [
        new MicroBenchWorkload(),
        new HackbenchWorkload(),
        new KbuildWorkload(),
        new TraceWorkload(),
    ];

    /// <summary>Every primitive any component charges: what a profile must define.</summary>
    public static IReadOnlyList<PrimitiveSpec> ProfileSchema => schema.Value;
    private static readonly Lazy<IReadOnlyList<PrimitiveSpec>> schema = new(() =>
        MachinePrimitives.Specs
            .Concat(Controllers.SelectMany(c => c.Primitives))
            .Concat(GuestSpecs)
            .DistinctBy(s => (s.Section, s.Name))
            .ToArray());

    /// <summary>The sections every profile must hold: the machine's, the guest's and the standard designs'. A design
    /// found elsewhere (a plugin) brings its own section, which a profile needs only to run that design.</summary>
    public static IReadOnlySet<string> RequiredSections => requiredSections.Value;
    private static readonly Lazy<IReadOnlySet<string>> requiredSections = new(() =>
        new[] { MachinePrimitives.Section, GuestCosts.Section }
            .Concat(Controllers.Where(c => KitDiscovery.StandardOrder.Contains(c.Name)).Select(c => c.CostSection).OfType<string>())
            .ToHashSet(StringComparer.Ordinal));

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
