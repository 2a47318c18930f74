namespace IrqBench.Gicv3.Registers;

/// <summary>
/// One register or register array of an MMIO frame, KVM's struct vgic_register_region: where it is, how long, how
/// many bits each interrupt takes (0 for a plain register), which access sizes it allows, and its handlers. A null
/// read handler reads as zero (write-only registers), a null write handler ignores writes (read-only registers).
/// </summary>
internal sealed record RegisterDescriptor(
    string Name, uint Offset, uint Length, int BitsPerIrq, AccessWidths Widths, RegisterRead? Read, RegisterWrite? Write,
    uint FirstIntId = 0)
{
    public uint End => Offset + Length;

    /// <summary>A plain 32-bit register.</summary>
    public static RegisterDescriptor Word(string name, uint offset, RegisterRead? read, RegisterWrite? write) =>
        new(name, offset, 4, 0, AccessWidths.Word, read, write);

    /// <summary>A 64-bit register that also allows 32-bit access to either half.</summary>
    public static RegisterDescriptor Dword(string name, uint offset, RegisterRead? read, RegisterWrite? write) =>
        new(name, offset, 8, 0, AccessWidths.WordOrDword, read, write);

    /// <summary>A per-IRQ array covering <paramref name="irqs"/> INTIDs from <paramref name="firstIntId"/>.</summary>
    public static RegisterDescriptor PerIrq(string name, uint offset, int bitsPerIrq, int irqs, AccessWidths widths,
        RegisterRead? read, RegisterWrite? write, uint firstIntId = 0) =>
        new(name, offset, (uint)(irqs * bitsPerIrq / 8), bitsPerIrq, widths, read, write, firstIntId);

    /// <summary>A read-as-zero / write-ignored range (reserved, or fields that do not exist with ARE = 1).</summary>
    public static RegisterDescriptor RazWi(string name, uint offset, uint length, AccessWidths widths = AccessWidths.Word) =>
        new(name, offset, length, 0, widths, null, null);
}
