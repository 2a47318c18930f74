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
}

internal delegate ulong RegisterRead(in MmioAccess access);

internal delegate void RegisterWrite(in MmioAccess access, ulong value);
