using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Rvic.Guest;
using IrqBench.Rvic.Instance;
using IrqBench.Rvic.MicroBench;
using IrqBench.Rvic.Rvid;

namespace IrqBench.Rvic.Variants;

/// <summary>
/// A design on the rVIC's base: its kit name and the ABI changes it makes (rvic.md §12–§15). <see cref="Base"/> is
/// the prototype's ABI as docs/rvic.md §2 gives it; the others each add one item of §8.1's future work, or
/// (<see cref="Fused"/>) a design of IrqBench's own. Each comes with the guest driver that uses it and any
/// micro-benchmark of its own.
/// </summary>
public sealed record RvicVariant(
    string Name,
    IReadOnlyList<RvicExtension> Extensions,
    Func<VirtualMachine, RvicConfig, RvicGuestChip> CreateGuestChip,
    Func<IReadOnlyList<IMicroBenchmark>>? ExtraMicroBenchmarks = null)
{
    public static readonly RvicVariant Base = new("rvic", [], (vm, dt) => new RvicGuestChip(vm, dt));
    public static readonly RvicVariant Prio = new("rvic-prio", [new PriorityExtension()], (vm, dt) => new RvicPrioGuestChip(vm, dt));
    public static readonly RvicVariant Level = new("rvic-level", [new LevelInputExtension()], (vm, dt) => new RvicLevelGuestChip(vm, dt));
    public static readonly RvicVariant Msi = new("rvic-msi", [new MsiFrameExtension()], (vm, dt) => new RvicMsiGuestChip(vm, dt),
        () => [new MsiDoorbellTest()]);
    /// <summary>IrqBench's own design, not from the rVIC sources (rvic.md §15).</summary>
    public static readonly RvicVariant Fused = new("rvic-fused", [new FusedCompletionExtension()], (vm, dt) => new RvicFusedGuestChip(vm, dt));

    public static IReadOnlyList<RvicVariant> All { get; } = [Base, Prio, Level, Msi, Fused];

    public bool Has<T>() where T : RvicExtension => Extensions.Any(e => e is T);

    internal RvicInstance CreateInstance(RvicConfig c) =>
        Extensions.Select(e => e.CreateInstance(c)).FirstOrDefault(i => i is not null) ?? new RvicInstance(c.NrTrusted, c.NrTotal);

    internal RvidTable CreateRvid(RvicConfig c) =>
        Extensions.Select(e => e.CreateRvid(c)).FirstOrDefault(t => t is not null) ?? new RvidTable(c.NrTrusted, c.NrTotal);

    internal ulong? MsiDoorbell => Extensions.Select(e => e.MsiDoorbell).FirstOrDefault(d => d is not null);

    public override string ToString() => Name;
}
