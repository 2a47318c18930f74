using IrqBench.Machine.Vcpus;

namespace IrqBench.Gicv3.Registers;

/// <summary>
/// One guest access as a register handler sees it, after the central check: who accesses, which frame (the
/// redistributor's vCPU index, or -1 for the distributor and the ITS), the byte offset in the frame, the size, and for
/// a per-IRQ register the first INTID the access covers (KVM's VGIC_ADDR_TO_INTID).
/// </summary>
internal readonly struct MmioAccess(Vcpu cpu, int frame, uint offset, int size, uint intId)
{
    public Vcpu Cpu { get; } = cpu;
    public int Frame { get; } = frame;
    public uint Offset { get; } = offset;
    public int Size { get; } = size;
    public uint IntId { get; } = intId;

    /// <summary>How many INTIDs a per-IRQ access covers.</summary>
    public int IrqCount(int bitsPerIrq) => Size * 8 / bitsPerIrq;

    /// <summary>A read of a 64-bit register: the whole of it, or the 32-bit half this access names (KVM's
    /// extract_bytes on a 64-bit register).</summary>
    public ulong Extract64(ulong reg) => Size == 8 ? reg : (Offset & 4) != 0 ? reg >> 32 : reg & 0xFFFF_FFFF;

    /// <summary>A write to a 64-bit register: the whole of it, or only the 32-bit half this access names (KVM's
    /// update_64bit_reg).</summary>
    public ulong Update64(ulong old, ulong value)
    {
        if (Size == 8) return value;
        int shift = (Offset & 4) != 0 ? 32 : 0;
        return (old & ~(0xFFFF_FFFFUL << shift)) | ((value & 0xFFFF_FFFF) << shift);
    }
}

internal delegate ulong RegisterRead(in MmioAccess access);

internal delegate void RegisterWrite(in MmioAccess access, ulong value);
