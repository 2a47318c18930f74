using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Ideal;

namespace IrqBench.Harness.Tests;

/// <summary>A design added outside the harness: this test assembly offers it through an <see cref="IKitProvider"/>,
/// the way a new design's folder would. It is the ideal controller with a cost section of its own, which it reads when
/// it runs.</summary>
public sealed class TestDesignProvider : IKitProvider
{
    public const string Name = "test-variant", Section = "testvariant";

    public static readonly IReadOnlyList<PrimitiveSpec> Specs = [new(Section, "setup", "what this test design charges its guest at boot")];

    public IEnumerable<ControllerKit> Kits =>
    [
        IdealGuestIrqChip.Kit with
        {
            Name = Name,
            CreateGuestChip = vm =>
            {
                _ = vm.Profile.Get(Section, "setup"); // the design needs its own cost section, and only when it runs
                return IdealGuestIrqChip.Kit.CreateGuestChip(vm);
            },
            Primitives = Specs,
        },
    ];
}

[Collection(CliCollection.Name)]
public class DesignPluginTests
{
    private static string DerivedProfile(TempDir t)
    {
        // A profile that names a base and adds only the new design's section.
        File.Copy(Path.Combine(ProfileStore.Directory, "altra-vhe.json"), t["altra-vhe.json"]);
        return t.Write("altra-test.json", """
            { "name": "altra-test", "base": "altra-vhe",
              "primitives": { "testvariant": { "setup": { "cycles": 10, "source": "assumption: a test" } } } }
            """);
    }

    [Fact]
    public void A_design_offered_by_another_assembly_is_found_beside_the_standard_ones()
    {
        Assert.Contains(TestDesignProvider.Name, Registry.ControllerNames);
        Assert.Equal(["gicv3", "gicv4.1", "rvic", "ideal"], Registry.ControllerNames.Take(4));
    }

    [Fact]
    public void A_plugin_design_runs_through_run_and_compare_on_a_profile_derived_from_a_reference_one()
    {
        using var t = new TempDir();
        string profile = DerivedProfile(t);
        var (exit, err) = Cli.Run("run", "--controller", TestDesignProvider.Name, "--workload", "hackbench", "--profile", profile,
            "--vcpus", "2", "--set", "groups=1", "--set", "fds=4", "--set", "loops=5", "--out", t["run"]);
        Assert.True(exit == 0, err);
        Assert.Contains(TestDesignProvider.Name, File.ReadAllText(t["run/runs.csv"]));

        (exit, err) = Cli.Run("compare", "--controller", TestDesignProvider.Name, "--controller", "gicv3", "--workload", "hackbench", "--profile", profile,
            "--vcpus", "2", "--seeds", "6", "-j", "1", "--out", t["cmp"]);
        Assert.True(exit == 0, err);
        Assert.Contains(TestDesignProvider.Name, File.ReadAllText(t["cmp/runs.csv"]));
    }

    [Fact]
    public void The_reference_profiles_need_no_section_for_a_plugin_design_until_it_runs()
    {
        using var t = new TempDir();
        var (exit, err) = Cli.Run("run", "--controller", "gicv3", "--workload", "microbench", "--set", "test=hvc", "--out", t["ok"]);
        Assert.True(exit == 0, err);
        (exit, err) = Cli.Run("run", "--controller", TestDesignProvider.Name, "--workload", "microbench", "--set", "test=hvc", "--out", t["no"]);
        Assert.Equal(2, exit);
        Assert.Contains("testvariant.setup", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void A_derived_profile_takes_the_bases_values_and_replaces_only_what_it_gives()
    {
        using var t = new TempDir();
        File.Copy(Path.Combine(ProfileStore.Directory, "altra-vhe.json"), t["altra-vhe.json"]);
        string path = t.Write("slow-kick.json", """
            { "name": "slow-kick", "base": "altra-vhe",
              "primitives": { "machine": { "kick_ipi": { "cycles": 1500, "source": "assumption: a slower GIC" } } } }
            """);
        var derived = ProfileStore.Load(path);
        var reference = ProfileStore.Load("altra-vhe");
        Assert.Equal("slow-kick", derived.Name);
        Assert.Equal(1500, derived.Get("machine", "kick_ipi"));
        Assert.Equal(reference.Get("machine", "host_irq"), derived.Get("machine", "host_irq"));
        Assert.Equal(reference.FrequencyHz, derived.FrequencyHz);
        Assert.NotEqual(reference.ContentHash, derived.ContentHash);
    }

    [Fact]
    public void A_base_that_leads_back_to_itself_or_does_not_exist_is_an_error_naming_the_file()
    {
        using var t = new TempDir();
        t.Write("a.json", """{ "name": "a", "base": "b", "primitives": {} }""");
        string b = t.Write("b.json", """{ "name": "b", "base": "a", "primitives": {} }""");
        var (exit, err) = Cli.Run("profiles", "--show", b);
        Assert.Equal(2, exit);
        Assert.Contains("leads back", err);
        string c = t.Write("c.json", """{ "name": "c", "base": "nonesuch", "primitives": {} }""");
        (exit, err) = Cli.Run("profiles", "--show", c);
        Assert.Equal(2, exit);
        Assert.Contains("no profile 'nonesuch'", err);
    }

    [Fact]
    public void A_cost_what_if_changes_the_result_and_names_itself_in_the_profile_column()
    {
        using var t = new TempDir();
        var (exit, err) = Cli.Run("run", "--controller", "gicv3", "--workload", "microbench", "--set", "test=ipi", "--cost", "machine.kick_ipi=1800", "--out", t["w"]);
        Assert.True(exit == 0, err);
        (exit, err) = Cli.Run("run", "--controller", "gicv3", "--workload", "microbench", "--set", "test=ipi", "--out", t["r"]);
        Assert.True(exit == 0, err);
        string what = File.ReadAllLines(t["w/runs.csv"])[1], reference = File.ReadAllLines(t["r/runs.csv"])[1];
        Assert.Contains("altra-vhe[machine.kick_ipi=1800]", what);
        Assert.NotEqual(reference.Split(',')[10], what.Split(',')[10]); // sim_ns: the slower IPI takes longer
        (exit, err) = Cli.Run("run", "--controller", "gicv3", "--workload", "microbench", "--cost", "machine.kick_ipi=-1", "--out", t["x"]);
        Assert.Equal(2, exit);
        Assert.Contains("--cost machine.kick_ipi=-1", err);
    }
}
