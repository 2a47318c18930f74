using IrqBench.Harness.Trust;

namespace IrqBench.Harness.Tests;

/// <summary>
/// What every design must do for a guest written against the guest irqchip contract, whoever wrote the design — these
/// run on every kit discovery finds, a plugin's too: the trust guest's control run (no attack) on each organisation.
/// Every IPI vCPU0 sends is taken once by vCPU1 (each after the previous was taken, so none may merge), none while
/// vCPU1 holds PSTATE.I; every MSI of the enabled device reaches vCPU1, where the guest routed it; nothing of the
/// device the guest masked arrives; the vCPU sent nothing takes nothing; no timer fires that nobody armed.
/// </summary>
public class KitConformanceTests
{
    public static TheoryData<string> Kits() => new(Registry.ControllerNames);

    [Theory, MemberData(nameof(Kits))]
    public void Every_interrupt_the_guest_set_up_arrives_once_where_it_was_sent_and_nothing_else(string design)
    {
        var kit = Registry.Controller(design);
        foreach (var name in TrustComparison.DefaultProfiles)
        {
            var profile = ProfileStore.Load(name);
            if (!kit.Primitives.All(p => profile.Has(p.Section, p.Name))) continue; // a plugin's own section: its tests bring a profile
            var r = TrustAttempt.Run(kit, profile, AttackClass.None, seed: 1);
            Assert.False(r.Seen.Any, $"{design} on {name}: {r.Seen}");
            var ipis = r.Taken.Where(t => t.What == "ipi CallFunction").ToList();
            Assert.Equal(TrustAttempt.Periods, ipis.Count);
            Assert.All(ipis, t => Assert.Equal(1, t.Vcpu));
            long period = profile.NsToCycles(TrustAttempt.PeriodUs * 1000), unmask = profile.NsToCycles(TrustGuest.MaskedUs * 1000);
            Assert.All(ipis, t => Assert.True((t.At - r.Origin) % period >= unmask, $"{design} on {name}: an IPI taken at {t.At} while vCPU1 was masked"));
            Assert.Equal(TrustAttempt.Periods, r.Taken.Count(t => t.What == "device" && t.Vcpu == 1));
        }
    }
}
