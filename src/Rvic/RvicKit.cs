using IrqBench.Machine.Contracts;
using IrqBench.Rvic.Guest;
using IrqBench.Rvic.Hypervisor;
using IrqBench.Rvic.MicroBench;

namespace IrqBench.Rvic;

/// <summary>The kit the Harness registers under "rvic": the rVIC/rVID hypervisor side, the Linux driver model, the
/// rVIC's micro-benchmarks and its cost primitives.</summary>
public static class RvicKit
{
    public static ControllerKit Kit { get; } = Create(RvicConfig.Default);

    public static ControllerKit Create(RvicConfig config) => new("rvic",
        () => new RvicController(config),
        vm => new RvicGuestChip(vm, ((RvicController)vm.Controller).Config),
        () => [new EoiTest(), new LpiTest()], // plus the generic hvc, mmio_read_user, ipi and timer_10ms
        RvicCosts.Specs);
}
