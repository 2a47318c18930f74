using IrqBench.Machine.Costs;
using IrqBench.Machine.Traps;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Gicv3.Distributor;

/// <summary>
/// The GICv2m MSI frame that QEMU virt offers when there is no ITS (hw/intc/arm_gicv2m.c), emulated by the VMM in
/// user space: MSI_TYPER tells the guest which SPIs it may use, and a device's write of an SPI number to
/// MSI_SETSPI_NS raises that SPI as an edge (QEMU → KVM_IRQ_LINE). The guest only reads the ID registers; devices
/// reach MSI_SETSPI_NS through <see cref="Gicv3Controller.SignalMsi"/>.
/// </summary>
internal sealed class V2mFrame(int firstSpi, int spiCount) : IMmioHandler
{
    public const uint MsiTyper = 0x008, MsiSetSpiNs = 0x040, MsiIidr = 0xFCC;

    /// <summary>The frame's registers (QEMU's gicv2m_ops): the trust comparison counts them.</summary>
    public static readonly IReadOnlyList<(string Name, uint Offset)> Registers =
        [("MSI_TYPER", MsiTyper), ("MSI_SETSPI_NS", MsiSetSpiNs), ("MSI_IIDR", MsiIidr)];

    public ulong Read(Vcpu cpu, ulong offset, int size) => offset switch
    {
        MsiTyper => ((ulong)firstSpi << 16) | (uint)spiCount,
        _ => 0,
    };

    public void Write(Vcpu cpu, ulong offset, int size, ulong value) { }

    public void Map(TrapRouter router, ulong baseAddress) =>
        router.MapMmio("GICv2m", baseAddress, 0x1000, this, Placement.VmmUser);
}
