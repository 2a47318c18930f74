using IrqBench.Gicv3.Registers;

namespace IrqBench.Gicv3.Tests.Registers;

/// <summary>
/// The memory attributes of the four table base registers read back as KVM sanitises them on every write
/// (vgic_sanitise_shareability, _inner_cacheability, _outer_cacheability): Outer Shareable becomes Inner Shareable,
/// an inner Device-nGnRnE or Non-cacheable type becomes Read-allocate Write-back, and an outer type other than
/// "same as inner" or Non-cacheable becomes "same as inner". The field positions are the specification's.
/// </summary>
public class BaserAttributeTests
{
    /// <summary>A register and where the specification puts its InnerCache, Shareability and OuterCache fields.</summary>
    public sealed record Register(string Name, int Inner, int Share, int Outer, ulong Address)
    {
        public override string ToString() => Name;
    }

    // GICR_PROPBASER / GICR_PENDBASER: InnerCache [9:7], Shareability [11:10], OuterCache [58:56].
    // GITS_CBASER / GITS_BASER<n>: InnerCache [61:59], Shareability [11:10], OuterCache [55:53].
    private static readonly Register[] Registers =
    [
        new("GICR_PROPBASER", 7, 10, 56, 0x4000_0000 | 15),   // with IDbits
        new("GICR_PENDBASER", 7, 10, 56, 0x4001_0000),
        new("GITS_CBASER", 59, 10, 53, 0x4002_0000 | 15UL | 1UL << 63), // Size 15, Valid
        new("GITS_BASER0", 59, 10, 53, 0x4003_0000 | 1UL << 63),
        new("GITS_BASER1", 59, 10, 53, 0x4004_0000 | 1UL << 63),
    ];

    // Shareability: 0b00 Non-shareable, 0b01 Inner Shareable, 0b10 Outer Shareable, 0b11 reserved.
    // InnerCache: 0b000 Device-nGnRnE, 0b001 Non-cacheable, 0b010 RaWt, 0b011 RaWb, 0b100 WaWt, 0b101 WaWb, 0b110
    // RaWaWt, 0b111 RaWaWb. OuterCache: 0b000 same as InnerCache, 0b001 Non-cacheable, the rest as InnerCache.
    // (written share, inner, outer) → (read share, inner, outer)
    private static readonly (ulong[] In, ulong[] Out)[] Cases =
    [
        ([0b00, 0b000, 0b000], [0b00, 0b011, 0b000]), // non-shareable Device-nGnRnE: the type becomes RaWb
        ([0b10, 0b001, 0b111], [0b01, 0b011, 0b000]), // outer shareable, inner non-cacheable, outer RaWaWb
        ([0b01, 0b101, 0b001], [0b01, 0b101, 0b001]), // inner shareable WaWb, outer non-cacheable: kept
        ([0b11, 0b010, 0b100], [0b11, 0b010, 0b000]), // the reserved shareability is left alone
        ([0b01, 0b111, 0b011], [0b01, 0b111, 0b000]), // a cacheable outer type becomes "same as inner"
    ];

    public static TheoryData<Register, int> All()
    {
        var d = new TheoryData<Register, int>();
        foreach (var r in Registers)
            for (int i = 0; i < Cases.Length; i++) d.Add(r, i);
        return d;
    }

    [Theory]
    [MemberData(nameof(All))]
    public void A_table_base_register_reads_back_the_attributes_KVM_gives(Register reg, int @case)
    {
        var (vm, gic) = TestVm.Create(2); // LPIs and the ITS disabled: every one of these is writable
        var cpu = vm.Vcpus[0];
        ulong at = reg.Name switch
        {
            "GICR_PROPBASER" => TestVm.Rd(gic, 0, Gicr.PropBaser),
            "GICR_PENDBASER" => TestVm.Rd(gic, 0, Gicr.PendBaser),
            "GITS_CBASER" => gic.Config.ItsBase + 0x80,
            "GITS_BASER0" => gic.Config.ItsBase + 0x100,
            _ => gic.Config.ItsBase + 0x108,
        };
        var (inp, outp) = Cases[@case];
        ulong Encode(ulong[] f) => f[0] << reg.Share | f[1] << reg.Inner | f[2] << reg.Outer;
        cpu.MmioWrite(at, 8, reg.Address | Encode(inp));
        ulong back = cpu.MmioRead(at, 8);
        Assert.Equal(outp, new[] { (back >> reg.Share) & 3, (back >> reg.Inner) & 7, (back >> reg.Outer) & 7 });
        Assert.Equal(reg.Address, back & reg.Address); // the rest of the value is not disturbed
    }
}
