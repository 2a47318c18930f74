using IrqBench.Machine.Contracts;

namespace IrqBench.Gicv3;

/// <summary>The GICv3 designs this assembly offers, for the Harness's discovery: the emulated GICv3 ("gicv3"), the same
/// on a GICv4.1 host ("gicv4.1"), and the GICv3 with every ICC access trapped ("gicv3-trapall"). The kits are
/// <see cref="Gicv3Kit"/>'s, so code that names them directly keeps working.</summary>
public sealed class Gicv3KitProvider : IKitProvider
{
    public IEnumerable<ControllerKit> Kits => [Gicv3Kit.Kit, Gicv3Kit.Gicv41Kit, Gicv3Kit.TrapAllKit];
}
