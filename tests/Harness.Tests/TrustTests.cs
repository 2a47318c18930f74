using IrqBench.Harness.Output;
using IrqBench.Harness.Trust;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Ideal;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Harness.Tests;

/// <summary>
/// The trust comparison. What must hold (issue 13): under pKVM an emulated GICv3 in the untrusted host lets every
/// forgery through and rVIC at EL2 none; the control sees nothing; the counts come from running the attacks (a design
/// that says yes and does nothing scores no success); the output does not depend on the cores.
/// </summary>
public class TrustTests
{
    private static IReadOnlyList<ForgeryRow> Forgery(IEnumerable<string> kits, IEnumerable<string> profiles, int attempts, int jobs = 2) =>
        new TrustComparison(kits.Select(Registry.Controller).ToList(), profiles.Select(ProfileStore.Load).ToList(), attempts).RunForgery(jobs);

    [Fact]
    public void Under_pkvm_every_attack_on_the_emulated_GICv3_succeeds_and_none_on_rVIC_at_EL2()
    {
        var rows = Forgery(["gicv3", "gicv4.1", "gicv3-trapall", "rvic", "rvic-prio", "rvic-level", "rvic-msi", "rvic-fused"], ["pkvm"], attempts: 3);
        Assert.Equal(8 * AttackClasses.All.Count, rows.Count);
        foreach (var r in rows)
        {
            if (r.Attack == "none") { Assert.Equal(0, r.GuestSawAnything); continue; }
            if (r.Design.StartsWith("gicv", StringComparison.Ordinal))
            {
                Assert.True(r.Succeeded == r.Attempts, $"{r.Design} {r.Attack}: {r.Succeeded}/{r.Attempts}, {r.FirstObservation}");
                Assert.Equal(r.Attempts, r.Accepted);
            }
            else
            {
                Assert.True(r.GuestSawAnything == 0, $"{r.Design} {r.Attack}: the guest saw {r.FirstObservation}");
                Assert.Equal(0, r.Accepted);
            }
        }
    }

    [Fact]
    public void Under_vhe_and_nvhe_the_host_is_the_hypervisor_and_every_attack_reaches_the_guest()
    {
        foreach (var r in Forgery(["gicv3", "rvic"], ["altra-vhe", "seattle-nvhe"], attempts: 2).Where(r => r.Attack != "none"))
            Assert.True(r.Succeeded == r.Attempts, $"{r.Design} {r.Organisation} {r.Attack}: {r.Succeeded}/{r.Attempts}, {r.FirstObservation}");
    }

    [Fact]
    public void Without_an_attack_the_guest_sees_exactly_what_it_set_up_on_every_design_and_organisation()
    {
        var kits = Registry.Controllers.Where(k => k.HostSurface is not null).ToList();
        foreach (var kit in kits)
            foreach (var p in TrustComparison.DefaultProfiles)
            {
                var r = TrustAttempt.Run(kit, ProfileStore.Load(p), AttackClass.None, 1);
                Assert.False(r.Seen.Any, $"{kit.Name} on {p}: {r.Seen}");
                Assert.Equal(TrustAttempt.Periods, r.Taken.Count(t => t.Vcpu == 1 && t.What == "ipi CallFunction"));
                Assert.Equal(TrustAttempt.Periods, r.Taken.Count(t => t.Vcpu == 1 && t.What == "device"));
                Assert.Null(r.Accepted);
            }
    }

    /// <summary>A design whose host surface answers yes to everything and changes nothing.</summary>
    private sealed class AgreeableSurface : IHostAttackSurface
    {
        public bool InjectIpi(HostContext host, Vcpu target, int ipi) => true;
        public bool FireTimer(HostContext host, Vcpu target) => true;
        public bool SetTrustedMask(HostContext host, Vcpu target, int intid, bool masked) => true;
        public bool UnmaskDevice(HostContext host, DeviceIrq irq) => true;
        public bool Retarget(HostContext host, Vcpu from, Vcpu to, int intid) => true;
        public bool Drop(HostContext host, Vcpu target, int intid) => true;
        public bool ChangeRouting(HostContext host, DeviceIrq irq, Vcpu to) => true;
    }

    [Fact]
    public void A_success_is_what_the_guest_saw_not_what_the_design_answered()
    {
        var kit = IdealGuestIrqChip.Kit with { Name = "agreeable", HostSurface = (_, _) => new AgreeableSurface() };
        var rows = new TrustComparison([kit], [ProfileStore.Load("pkvm")], attempts: 3).RunForgery(1);
        foreach (var r in rows.Where(r => r.Attack != "none"))
        {
            Assert.Equal(r.Attempts, r.Accepted);
            Assert.Equal(0, r.Succeeded);
            Assert.Equal(0, r.GuestSawAnything);
        }
    }

    [Fact]
    public void The_same_attempts_give_the_same_bytes_on_one_core_or_two()
    {
        string Csv(int jobs) => CsvFiles.ToText(Forgery(["gicv3", "rvic"], TrustComparison.DefaultProfiles, attempts: 2, jobs));
        Assert.Equal(Csv(1), Csv(2));
    }

    [Fact]
    public void Each_attempt_of_a_row_strikes_at_its_own_seeded_time()
    {
        var kit = Registry.Controller("gicv3");
        var times = Enumerable.Range(1, 6).Select(s => TrustAttempt.Run(kit, ProfileStore.Load("pkvm"), AttackClass.Retarget, (ulong)s))
            .Select(r => r.AttackAt - r.Origin).ToList();
        Assert.Equal(times.Count, times.Distinct().Count());
        Assert.All(times, t => Assert.InRange(t, 0, ProfileStore.Load("pkvm").NsToCycles(TrustAttempt.PeriodUs * 1000 * TrustAttempt.Periods)));
    }

    [Fact]
    public void The_trusted_surface_has_a_row_per_design_and_organisation_and_the_report_cites_the_published_sizes()
    {
        var trust = new TrustComparison(Registry.Controllers, TrustComparison.DefaultProfiles.Select(ProfileStore.Load).ToList(), 1);
        var surface = trust.Surfaces();
        Assert.Equal(trust.Kits.Count * 3, surface.Count);
        var rvicPkvm = surface.Single(s => s.Design == "rvic" && s.Organisation == "pkvm");
        var gicPkvm = surface.Single(s => s.Design == "gicv3" && s.Organisation == "pkvm");
        Assert.Equal(0, gicPkvm.ExitKindsHandledTrusted); // KVM's vgic is all host code
        Assert.True(rvicPkvm.Hypercalls > 0 && rvicPkvm.ExitKindsForwarded == 0);
        string md = TrustReport.Markdown([], surface);
        Assert.Contains("No design in this comparison", md);
        md = TrustReport.Markdown(Forgery(["rvic"], ["pkvm"], 1), surface);
        Assert.Contains("docs/gicv3.md §9", md);
        Assert.Contains("docs/rvic.md §10", md);
    }
}

[Collection(CliCollection.Name)]
public class TrustCommandTests
{
    [Fact]
    public void Trust_writes_its_tables_and_rejects_a_bad_attempt_count()
    {
        using var t = new TempDir();
        var (exit, err) = Cli.Run("trust", "--attempts", "2", "--controller", "rvic", "--profile", "pkvm", "--out", t.Path);
        Assert.True(exit == 0, err);
        var rows = CsvFiles.ReadTrust(Path.Combine(t.Path, "trust.csv"));
        Assert.Equal(AttackClasses.All.Count, rows.Count);
        Assert.All(rows, r => Assert.Equal(2, r.Attempts));
        Assert.Contains("Forgery", File.ReadAllText(Path.Combine(t.Path, "trust.md")));
        Assert.True(File.Exists(Path.Combine(t.Path, "trust_surface.csv")));

        (exit, err) = Cli.Run("trust", "--attempts", "0");
        Assert.Equal(2, exit);
        Assert.Contains("--attempts 0", err);
        (exit, err) = Cli.Run("trust", "--controller", "ideal");
        Assert.Equal(2, exit);
        Assert.Contains("nothing to attack", err);
    }
}
