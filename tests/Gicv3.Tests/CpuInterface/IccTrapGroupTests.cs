using IrqBench.Gicv3.CpuInterface;

namespace IrqBench.Gicv3.Tests.CpuInterface;

/// <summary>
/// Which ICH_HCR_EL2 bit traps which ICC register, as the GIC architecture lists them in the descriptions of TALL0,
/// TALL1, TC and TDIR (written out here by name, independently of the model's register table).
/// </summary>
public class IccTrapGroupTests
{
    private static readonly string[] Ap0 = ["ICC_AP0R0_EL1", "ICC_AP0R1_EL1", "ICC_AP0R2_EL1", "ICC_AP0R3_EL1"];
    private static readonly string[] Ap1 = ["ICC_AP1R0_EL1", "ICC_AP1R1_EL1", "ICC_AP1R2_EL1", "ICC_AP1R3_EL1"];

    /// <summary>The architecture's lists, per trap bit.</summary>
    private static readonly Dictionary<string, (uint Bit, string[] Registers)> Spec = new()
    {
        ["TALL0"] = (IchHcr.TAll0, [.. Ap0, "ICC_IAR0_EL1", "ICC_HPPIR0_EL1", "ICC_EOIR0_EL1", "ICC_BPR0_EL1", "ICC_IGRPEN0_EL1"]),
        ["TALL1"] = (IchHcr.TAll1, [.. Ap1, "ICC_IAR1_EL1", "ICC_HPPIR1_EL1", "ICC_EOIR1_EL1", "ICC_BPR1_EL1", "ICC_IGRPEN1_EL1"]),
        ["TC"] = (IchHcr.Tc, ["ICC_SGI0R_EL1", "ICC_SGI1R_EL1", "ICC_ASGI1R_EL1", "ICC_CTLR_EL1", "ICC_DIR_EL1", "ICC_PMR_EL1", "ICC_RPR_EL1"]),
        ["TDIR"] = (IchHcr.Tdir, ["ICC_DIR_EL1"]),
    };

    private static readonly string[] SgiGeneration = ["ICC_SGI0R_EL1", "ICC_SGI1R_EL1", "ICC_ASGI1R_EL1"];

    public static TheoryData<string, string> RegisterAndBit()
    {
        var d = new TheoryData<string, string>();
        foreach (var r in IccSysRegs.Registers)
            foreach (var bit in Spec.Keys.Append("none"))
                d.Add(r.Name, bit);
        return d;
    }

    [Theory]
    [MemberData(nameof(RegisterAndBit))]
    public void An_ICC_access_traps_exactly_under_the_ICH_HCR_bits_the_architecture_lists_for_it(string register, string bit)
    {
        var reg = IccSysRegs.Registers.Single(r => r.Name == register);
        uint hcr = IchHcr.En | (bit == "none" ? 0 : Spec[bit].Bit);
        var cpuif = new VirtualCpuInterface(tds: true) { Hcr = hcr };
        bool listed = bit != "none" && Spec[bit].Registers.Contains(register);
        bool expected = listed || SgiGeneration.Contains(register); // HCR_EL2.IMO/FMO trap SGI generation anyway
        Assert.Equal(expected, cpuif.Traps(reg));
    }

    [Fact]
    public void The_register_table_holds_every_register_of_the_trap_groups_and_ICC_SRE_EL1_which_none_of_them_traps()
    {
        var listed = Spec.Values.SelectMany(v => v.Registers).Append("ICC_SRE_EL1").ToHashSet();
        Assert.Equal(listed.Order(), IccSysRegs.Registers.Select(r => r.Name).Order());
        var sre = IccSysRegs.Describe(IccSysRegs.Sre);
        Assert.False(new VirtualCpuInterface { Hcr = IchHcr.En | IchHcr.Tc | IchHcr.TAll0 | IchHcr.TAll1 | IchHcr.Tdir }.Traps(sre));
    }

    [Fact]
    public void Without_ICH_VTR_EL2_TDS_the_TDIR_bit_is_RES0_and_DIR_does_not_trap()
    {
        var dir = IccSysRegs.Describe(IccSysRegs.Dir);
        var noTds = new VirtualCpuInterface(tds: false) { Hcr = IchHcr.En | IchHcr.Tdir };
        Assert.False(noTds.Traps(dir));
        noTds.Hcr |= IchHcr.Tc;
        Assert.True(noTds.Traps(dir));
        Assert.Equal(0u, noTds.Vtr & (1u << 19));
    }
}
