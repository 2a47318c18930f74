using IrqBench.Machine.Contracts;

namespace IrqBench.Machine.Ideal;

/// <summary>Offers the ideal controller (the lower bound every report shows) to the Harness's discovery.</summary>
public sealed class IdealKitProvider : IKitProvider
{
    public IEnumerable<ControllerKit> Kits => [IdealGuestIrqChip.Kit];
}
