using IrqBench.Gicv3.Registers;

namespace IrqBench.Gicv3.Tests.Registers;

/// <summary>The one central access check (KVM's check_region): anything the register does not allow reads as zero,
/// ignores writes, and never reaches a handler.</summary>
public class RegisterFileTests
{
    private int reads, writes;
    private ulong lastWrite;
    private uint lastIntId;

    private RegisterFile File() => new(
    [
        RegisterDescriptor.Word("R32", 0x0, (in MmioAccess a) => { reads++; return 0xAABBCCDD; }, (in MmioAccess a, ulong v) => { writes++; lastWrite = v; }),
        RegisterDescriptor.Dword("R64", 0x8, (in MmioAccess a) => { reads++; return 0x1122334455667788; }, (in MmioAccess a, ulong v) => { writes++; lastWrite = v; }),
        RegisterDescriptor.PerIrq("PRIO", 0x400, 8, 64, AccessWidths.ByteOrWord,
            (in MmioAccess a) => { reads++; lastIntId = a.IntId; return 0x5A; }, (in MmioAccess a, ulong v) => { writes++; lastIntId = a.IntId; }),
    ], implementedIrqs: 48);

    [Fact]
    public void A_width_the_register_does_not_allow_reads_as_zero_and_ignores_writes()
    {
        var f = File();
        Assert.Equal(0UL, f.Read(null!, -1, 0x0, 1));
        Assert.Equal(0UL, f.Read(null!, -1, 0x0, 2));
        Assert.Equal(0UL, f.Read(null!, -1, 0x0, 8));
        f.Write(null!, -1, 0x0, 1, 0xFF);
        Assert.Equal(0, reads + writes);
        Assert.Equal(4, f.RejectedAccesses);
    }

    [Fact]
    public void A_misaligned_access_is_RAZ_WI()
    {
        var f = File();
        Assert.Equal(0UL, f.Read(null!, -1, 0x2, 4));
        Assert.Equal(0UL, f.Read(null!, -1, 0x401, 4));
        Assert.Equal(0, reads);
    }

    [Fact]
    public void An_unimplemented_offset_is_RAZ_WI()
    {
        var f = File();
        Assert.Equal(0UL, f.Read(null!, -1, 0x100, 4));
        f.Write(null!, -1, 0x100, 4, 1);
        Assert.Equal(0, reads + writes);
    }

    [Fact]
    public void A_64_bit_register_takes_64_bit_and_32_bit_accesses()
    {
        var f = File();
        Assert.Equal(0x1122334455667788UL, f.Read(null!, -1, 0x8, 8));
        f.Read(null!, -1, 0xC, 4);
        Assert.Equal(2, reads);
    }

    [Fact]
    public void Writes_are_truncated_to_the_access_size()
    {
        var f = File();
        f.Write(null!, -1, 0x0, 4, 0xFFFF_FFFF_1234_5678);
        Assert.Equal(0x1234_5678UL, lastWrite);
    }

    [Fact]
    public void A_per_IRQ_access_knows_its_first_INTID_and_beyond_the_implemented_INTIDs_is_RAZ_WI()
    {
        var f = File();
        Assert.Equal(0x5AUL, f.Read(null!, -1, 0x400 + 13, 1));
        Assert.Equal(13u, lastIntId);
        f.Write(null!, -1, 0x400 + 44, 4, 0);
        Assert.Equal(44u, lastIntId);
        Assert.Equal(0UL, f.Read(null!, -1, 0x400 + 48, 4)); // INTID 48 is not implemented
        Assert.Equal(2, reads + writes);
    }
}
