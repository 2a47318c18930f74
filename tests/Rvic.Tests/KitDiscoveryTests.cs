using IrqBench.Machine.Contracts;
using IrqBench.Workloads.MicroBench;

namespace IrqBench.Rvic.Tests;

/// <summary>The provider the Harness discovers (IKitProvider): the base rVIC and each variant, each a complete kit.</summary>
public class KitDiscoveryTests
{
    [Fact]
    public void The_provider_offers_rvic_and_every_variant_with_rvic_kit_kit_first()
    {
        var kits = ((IKitProvider)Activator.CreateInstance(typeof(RvicKitProvider))!).Kits.ToList();
        Assert.Equal(["rvic", "rvic-prio", "rvic-level", "rvic-msi", "rvic-fused"], kits.Select(k => k.Name));
        Assert.Same(RvicKit.Kit, kits[0]);
    }

    [Fact]
    public void Each_kit_names_its_controller_and_guest_driver_after_itself_and_has_both_trust_surfaces()
    {
        foreach (var kit in RvicKit.All)
        {
            var rig = new Rig(variant: Rig.VariantNamed(kit.Name));
            Assert.Equal(kit.Name, kit.CreateController().Name);
            Assert.Equal(kit.Name, kit.CreateGuestChip(rig.Vm).Name);
            Assert.NotNull(kit.HostSurface);
            Assert.NotNull(kit.Surface);
            Assert.Equal("rvic", kit.CostSection);
        }
    }

    [Fact]
    public void Only_rvic_msi_adds_a_micro_benchmark_the_guest_doorbell()
    {
        foreach (var kit in RvicKit.All)
        {
            var names = MicroBenchRunner.TestsFor(kit).Select(t => t.Name).ToList();
            Assert.Equal(kit.Name == "rvic-msi" ? 7 : 6, names.Count);
            Assert.Equal(kit.Name == "rvic-msi", names.Contains("msi_doorbell"));
        }
    }
}
