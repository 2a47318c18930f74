using IrqBench.Machine.Contracts;
using IrqBench.Workloads.MicroBench;

namespace IrqBench.Gicv3.Tests;

/// <summary>Discovery: the GICv3 assembly offers its designs through one public IKitProvider with a parameterless
/// constructor, the way the Harness finds designs.</summary>
public class KitProviderTests
{
    private static IReadOnlyList<ControllerKit> Discovered() =>
        typeof(Gicv3Kit).Assembly.GetExportedTypes()
            .Where(t => typeof(IKitProvider).IsAssignableFrom(t) && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null)
            .SelectMany(t => ((IKitProvider)Activator.CreateInstance(t)!).Kits)
            .ToList();

    [Fact]
    public void The_assembly_offers_gicv3_gicv4_1_and_gicv3_trapall_once_each()
    {
        Assert.Equal(["gicv3", "gicv4.1", "gicv3-trapall"], Discovered().Select(k => k.Name));
    }

    [Fact]
    public void The_discovered_kits_are_the_static_ones_the_Harness_names_today()
    {
        var kits = Discovered();
        Assert.Same(Gicv3Kit.Kit, kits[0]);
        Assert.Same(Gicv3Kit.Gicv41Kit, kits[1]);
        Assert.Same(Gicv3Kit.TrapAllKit, kits[2]);
        Assert.All(kits, k => Assert.Equal(Gicv3Costs.Section, k.CostSection));
    }

    [Theory]
    [InlineData("gicv3")]
    [InlineData("gicv4.1")]
    [InlineData("gicv3-trapall")]
    public void Every_discovered_kit_boots_its_guest_and_runs_a_micro_benchmark(string name)
    {
        var kit = Discovered().Single(k => k.Name == name);
        var test = MicroBenchRunner.TestsFor(kit).Single(t => t.Name == "ipi");
        var r = MicroBenchRunner.Run(kit, TestVm.Profile(), test, seed: 1, iterations: 50);
        Assert.Null(r.Skipped);
        Assert.True(r.AvgNs > 0);
        Assert.True(r.Metrics!.IrqsDelivered.Value >= 50); // every IPI reached the handler
    }
}
