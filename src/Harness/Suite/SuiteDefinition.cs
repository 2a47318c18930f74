using IrqBench.Harness.Stats;

namespace IrqBench.Harness.Suite;

/// <summary>
/// The standard comparison (DESIGN §8 <c>compare</c>): every controller on the micro-benchmarks, hackbench and kbuild
/// at several vCPU counts, on every hypervisor organisation's profile, with every controller running the same seeds
/// (paired). Defined by names so that it runs with whatever the registry holds: a controller or workload that is not
/// registered is skipped with a note, and a parameter the workload does not declare is dropped with a note.
/// <c>--quick</c> is the CI variant: fewer vCPU counts, smaller workloads, and the fewest seeds that give a 95 %
/// paired interval at all.
/// </summary>
/// <param name="MicrobenchIterations">at most this many iterations per micro-benchmark (null: each test's own, as
/// kvm-unit-tests runs it); the average per operation is what is reported, and the model's operations repeat exactly,
/// so fewer iterations change it only by the loop's start-up share</param>
public sealed record SuiteDefinition(
    string Name,
    IReadOnlyList<string> Controllers,
    IReadOnlyList<SuiteWorkload> Workloads,
    IReadOnlyList<string> Profiles,
    int Seeds,
    int? MicrobenchIterations = null,
    int TrustAttempts = SuiteDefinition.DefaultTrustAttempts)
{
    /// <summary>Seeded attempts per design, organisation and attack in the trust section (see
    /// <see cref="Trust.TrustComparison"/>): every attempt is a separate short VM, so ten cost a few seconds.</summary>
    public const int DefaultTrustAttempts = 10;

    /// <summary>
    /// Seeds per design and scenario in the standard suite. The measurement behind it: the per-seed spread (standard
    /// deviation) of the paired log ratio of hackbench's time per message against gicv3, default parameters, 10
    /// seeds, was 3.4–7.0 % over gicv4.1, rvic and ideal at 4, 16 and 64 vCPUs on the three organisations, the
    /// √2 × 2.6–5.0 % of uncorrelated seeds, because the workloads did not yet share their random draws between
    /// designs. The exact 95 % signed-rank interval of n pairs is about ±2.1·σ/√n, so at that spread ±1 % needs 50 to
    /// 200 seeds (the report's "seeds for ±1 %" column, computed from each scenario's spread); ten resolve ±2.5–5.7 %.
    /// A lower bound on what shared draws can leave: the same design on a profile one kick cycle apart (its schedule
    /// diverging, nothing else) spread 0.85–3.0 %, where ten seeds resolve ±1 % up to σ = 1.4 %. Ten is also what the
    /// default compare's budget allows: about 7 s of simulation per seed over all organisations, 60 s on two cores.
    /// Measure again once draws are shared: the report's resolution and seeds-for-±1 % columns give the number.
    /// </summary>
    public const int DefaultSeeds = 10;

    /// <summary>The pseudo-workload that stands for the kvm-unit-tests micro-bench table of every controller.</summary>
    public const string Microbench = "microbench";

    /// <summary>Controllers in report order: the emulation, its GICv4.1 variant, the paravirtual design, the bound.</summary>
    public static readonly IReadOnlyList<string> ControllerOrder = ["gicv3", "gicv4.1", "rvic", "ideal"];

    /// <summary>One profile per hypervisor organisation: VHE (KVM in EL2 with the host), nVHE (split mode), pKVM.</summary>
    public static readonly IReadOnlyList<string> Organisations = [ProfileStore.DefaultProfile, "seattle-nvhe", "pkvm"];

    public static SuiteDefinition Standard { get; } = new("standard", ControllerOrder,
    [
        new(Microbench, [], []),
        new("hackbench", [4, 16, 64], []),
        new("kbuild", [4, 16, 64], []),
    ], Organisations, DefaultSeeds);

    public static SuiteDefinition Quick { get; } = new("quick", ControllerOrder,
    [
        new(Microbench, [], []),
        new("hackbench", [4, 16], [new("groups", "2"), new("loops", "20")]),
        new("kbuild", [4, 16], [new("files", "48")]),
    ], Organisations, PairedRatio.MinimumPairs, MicrobenchIterations: 4096, TrustAttempts: 3);
}

/// <summary>One workload of a suite: the vCPU counts to scale over and the parameter overrides to apply.</summary>
public sealed record SuiteWorkload(string Name, IReadOnlyList<int> Vcpus, IReadOnlyList<KeyValuePair<string, string>> Sets);
