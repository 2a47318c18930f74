namespace IrqBench.Harness.Suite;

/// <summary>
/// The standard comparison (DESIGN §8 <c>compare</c>), defined by names so that it runs with whatever the registry
/// holds: a controller or workload that is not registered is skipped with a note, and a parameter the workload does
/// not declare is dropped with a note. <c>--quick</c> is the CI variant: fewer vCPU counts, smaller workloads and
/// four seeds (the fewest for which a one-sided Mann-Whitney test can reach p &lt; 0.05: 1/C(8,4) = 0.014).
/// </summary>
public sealed record SuiteDefinition(
    string Name,
    IReadOnlyList<string> Controllers,
    IReadOnlyList<SuiteWorkload> Workloads,
    string Profile,
    int Seeds)
{
    /// <summary>Controllers in report order: the emulation, its GICv4.1 variant, the paravirtual design, the bound.</summary>
    public static readonly IReadOnlyList<string> ControllerOrder = ["gicv3", "gicv4.1", "rvic", "ideal"];

    public static SuiteDefinition Standard { get; } = new("standard", ControllerOrder,
    [
        new("hackbench", [4, 16, 64], []),
        new("kbuild", [4, 16, 64], []),
    ], ProfileStore.DefaultProfile, Seeds: 5);

    public static SuiteDefinition Quick { get; } = new("quick", ControllerOrder,
    [
        new("hackbench", [4, 16], [new("groups", "2"), new("loops", "20")]),
        new("kbuild", [4, 16], [new("files", "48")]),
    ], ProfileStore.DefaultProfile, Seeds: 4);
}

/// <summary>One workload of a suite: the vCPU counts to scale over and the parameter overrides to apply.</summary>
public sealed record SuiteWorkload(string Name, IReadOnlyList<int> Vcpus, IReadOnlyList<KeyValuePair<string, string>> Sets);
