using IrqBench.Machine.Vcpus;

namespace IrqBench.Gicv3.Registers;

/// <summary>
/// A frame's register map: descriptors sorted by offset, found by binary search, with one central access check
/// (KVM's vgic_find_mmio_region + check_region): an access of a size the register does not allow, a misaligned one,
/// one that runs past the register, one to an unimplemented offset, or a per-IRQ access whose first INTID is not
/// implemented reads as zero and ignores writes, and never reaches a handler.
/// </summary>
internal sealed class RegisterFile
{
    private readonly RegisterDescriptor[] regs;
    private readonly uint implementedIrqs;

    /// <param name="implementedIrqs">INTIDs below this exist (nr_spis + 32); per-IRQ fields beyond are RAZ/WI.</param>
    public RegisterFile(IEnumerable<RegisterDescriptor> descriptors, uint implementedIrqs)
    {
        regs = descriptors.OrderBy(d => d.Offset).ToArray();
        for (int i = 1; i < regs.Length; i++)
            if (regs[i].Offset < regs[i - 1].End)
                throw new ArgumentException($"register {regs[i].Name} at 0x{regs[i].Offset:X} overlaps {regs[i - 1].Name}");
        this.implementedIrqs = implementedIrqs;
    }

    /// <summary>Accesses turned into RAZ/WI by the central check (bad size, alignment, offset or INTID).</summary>
    public long RejectedAccesses { get; private set; }

    public IReadOnlyList<RegisterDescriptor> Descriptors => regs;

    public ulong Read(Vcpu cpu, int frame, uint offset, int size)
    {
        if (!Check(offset, size, out var d, out uint intId)) return 0;
        return d.Read is null ? 0 : d.Read(new MmioAccess(cpu, frame, offset, size, intId));
    }

    public void Write(Vcpu cpu, int frame, uint offset, int size, ulong value)
    {
        if (!Check(offset, size, out var d, out uint intId)) return;
        d.Write?.Invoke(new MmioAccess(cpu, frame, offset, size, intId), Truncate(value, size));
    }

    /// <summary>The register that holds <paramref name="offset"/>, or null.</summary>
    public RegisterDescriptor? Find(uint offset)
    {
        int lo = 0, hi = regs.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            var r = regs[mid];
            if (offset < r.Offset) hi = mid - 1;
            else if (offset >= r.End) lo = mid + 1;
            else return r;
        }
        return null;
    }

    private bool Check(uint offset, int size, out RegisterDescriptor d, out uint intId)
    {
        intId = 0;
        d = Find(offset)!;
        bool ok = d is not null && d.Widths.Allows(size) && offset % (uint)size == 0 && offset + (uint)size <= d.End;
        if (ok && d!.BitsPerIrq != 0)
        {
            intId = d.FirstIntId + (offset - d.Offset) * 8 / (uint)d.BitsPerIrq;
            ok = intId < implementedIrqs;
        }
        if (!ok) RejectedAccesses++;
        return ok;
    }

    private static ulong Truncate(ulong value, int size) => size == 8 ? value : value & ((1UL << (size * 8)) - 1);
}
