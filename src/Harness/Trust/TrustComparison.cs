using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;

namespace IrqBench.Harness.Trust;

/// <summary>
/// The trust comparison: every design that describes its host's reach (<see cref="ControllerKit.HostSurface"/>),
/// under one profile per organisation, against every attack class and the control, <c>attempts</c> seeded attempts
/// each. The same attack code runs against every design; a success is what the guest observed, never a property
/// of the design's name. Runs in parallel, results in a fixed order, so the output does not depend on the cores.
/// </summary>
public sealed class TrustComparison
{
    /// <summary>One profile per organisation: VHE, split-mode nVHE, and pKVM's protected guest.</summary>
    public static readonly IReadOnlyList<string> DefaultProfiles = ["altra-vhe", "seattle-nvhe", "pkvm"];

    public TrustComparison(IReadOnlyList<ControllerKit> kits, IReadOnlyList<CostProfile> profiles, int attempts)
    {
        if (attempts < 1) throw new ArgumentOutOfRangeException(nameof(attempts), attempts, "at least one attempt");
        Kits = kits.Where(k => k.HostSurface is not null).ToList();
        Profiles = profiles;
        Attempts = attempts;
    }

    public IReadOnlyList<ControllerKit> Kits { get; }
    public IReadOnlyList<CostProfile> Profiles { get; }
    public int Attempts { get; }

    public IReadOnlyList<ForgeryRow> RunForgery(int parallelism)
    {
        var cells = (from kit in Kits from p in Profiles from a in AttackClasses.All select (kit, p, a)).ToList();
        var rows = new ForgeryRow[cells.Count];
        Parallel.For(0, cells.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, i =>
        {
            var (kit, profile, attack) = cells[i];
            var results = new List<AttemptResult>(Attempts);
            for (int n = 1; n <= Attempts; n++) results.Add(TrustAttempt.Run(kit, profile, attack, (ulong)n));
            rows[i] = ForgeryRow.From(kit.Name, profile, attack, results);
        });
        return rows;
    }

    /// <summary>What the trusted part implements, per design and organisation, from each design's own tables.</summary>
    public IReadOnlyList<SurfaceRow> Surfaces() =>
        (from kit in Kits where kit.Surface is not null
         from org in Profiles.Select(p => p.Organisation).Distinct()
         select SurfaceRow.From(kit.Surface!(org))).ToList();
}
