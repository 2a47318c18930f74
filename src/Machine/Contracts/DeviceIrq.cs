namespace IrqBench.Machine.Contracts;

/// <summary>
/// What a device is told to send when it interrupts: an MSI write (address, data), as the guest programmed it into the
/// device's MSI-X table. The VMM delivers it to the controller (KVM_SIGNAL_MSI / irqfd), never into guest MMIO.
/// </summary>
public readonly record struct MsiMessage(ulong Address, uint Data);

/// <summary>A device interrupt as the guest set it up through <see cref="IGuestIrqChip.SetupDeviceIrq"/>.</summary>
public sealed class DeviceIrq(DeviceId device, uint vector, MsiMessage msi, VcpuId affinity)
{
    public DeviceId Device { get; } = device;
    /// <summary>The device's vector (MSI-X table index).</summary>
    public uint Vector { get; } = vector;
    /// <summary>What the device writes; it changes when the guest moves the interrupt and the chip reprograms it.</summary>
    public MsiMessage Msi { get; set; } = msi;
    public VcpuId Affinity { get; set; } = affinity;
    public bool Masked { get; set; }
    /// <summary>The chip's own number for it (LPI INTID, rVID input, ideal vector).</summary>
    public uint ChipIrq { get; set; }
    /// <summary>Per-chip bookkeeping (the guest driver's view: event ID, input number...).</summary>
    public object? ChipData { get; set; }
}
