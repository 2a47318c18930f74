using IrqBench.Machine.Contracts;
using IrqBench.Rvic.Hypervisor;
using IrqBench.Rvic.MicroBench;
using IrqBench.Rvic.Variants;

namespace IrqBench.Rvic;

/// <summary>The kit the Harness registers under "rvic": the rVIC/rVID hypervisor side, the Linux driver model, the
/// rVIC's micro-benchmarks and its cost primitives; and one kit per variant (rvic.md §12–§15), which
/// <see cref="RvicKitProvider"/> offers for discovery.</summary>
public static class RvicKit
{
    public static ControllerKit Kit { get; } = Create(RvicConfig.Default);

    /// <summary>The base kit and every variant's, in <see cref="RvicVariant.All"/>'s order.</summary>
    public static IReadOnlyList<ControllerKit> All { get; } =
        RvicVariant.All.Select(v => v == RvicVariant.Base ? Kit : Create(RvicConfig.Default, v)).ToArray();

    public static ControllerKit Create(RvicConfig config) => Create(config, RvicVariant.Base);

    /// <summary>A kit for <paramref name="variant"/>. Every rVIC kit reads the one "rvic" profile section.</summary>
    public static ControllerKit Create(RvicConfig config, RvicVariant variant) => new(variant.Name,
        () => new RvicController(config, variant),
        vm => variant.CreateGuestChip(vm, ((RvicController)vm.Controller).Config),
        () => [new EoiTest(), new LpiTest(), .. variant.ExtraMicroBenchmarks?.Invoke() ?? []], // plus the generic hvc, mmio_read_user, ipi and timer_10ms
        RvicCosts.Specs)
    {
        HostSurface = (controller, org) => new RvicHostSurface((RvicController)controller, org),
        Surface = org => RvicTrustedSurface.Count(variant, config, org),
    };
}

/// <summary>The rVIC designs this assembly offers to the Harness's discovery: the base rVIC and each variant.</summary>
public sealed class RvicKitProvider : IKitProvider
{
    public IEnumerable<ControllerKit> Kits => RvicKit.All;
}
