using IrqBench.Machine.Traps;

namespace IrqBench.Gicv3.CpuInterface;

/// <summary>Which directions of an ICC register exist.</summary>
[Flags]
public enum IccAccess
{
    Read = 1,
    Write = 2,
    ReadWrite = Read | Write,
}

/// <summary>
/// One ICC_* system register as the guest at EL1 sees it: its name, encoding, direction, and the ICH_HCR_EL2 trap
/// bits that send its accesses to EL2 (the GIC architecture's descriptions of TALL0, TALL1, TC and TDIR; gicv3.md
/// §4.5). <see cref="AlwaysTraps"/>: trapped whenever HCR_EL2.IMO or FMO is set, i.e. always under KVM.
/// </summary>
public sealed record IccRegister(string Name, SysReg Reg, IccAccess Access, uint TrapBits, bool AlwaysTraps = false)
{
    public bool CanRead => (Access & IccAccess.Read) != 0;
    public bool CanWrite => (Access & IccAccess.Write) != 0;
    public override string ToString() => Name;
}

/// <summary>The ICC_* system-register encodings (op0, op1, CRn, CRm, op2), gicv3.md §3.1, and their trap groups.</summary>
public static class IccSysRegs
{
    public static readonly SysReg Pmr = new(3, 0, 4, 6, 0);
    public static readonly SysReg Iar0 = new(3, 0, 12, 8, 0), Eoir0 = new(3, 0, 12, 8, 1), Hppir0 = new(3, 0, 12, 8, 2), Bpr0 = new(3, 0, 12, 8, 3);
    public static SysReg Ap0r(int n) => new(3, 0, 12, 8, (byte)(4 + n));
    public static SysReg Ap1r(int n) => new(3, 0, 12, 9, (byte)n);
    public static readonly SysReg Dir = new(3, 0, 12, 11, 1), Rpr = new(3, 0, 12, 11, 3);
    public static readonly SysReg Sgi1r = new(3, 0, 12, 11, 5), Asgi1r = new(3, 0, 12, 11, 6), Sgi0r = new(3, 0, 12, 11, 7);
    public static readonly SysReg Iar1 = new(3, 0, 12, 12, 0), Eoir1 = new(3, 0, 12, 12, 1), Hppir1 = new(3, 0, 12, 12, 2),
        Bpr1 = new(3, 0, 12, 12, 3), Ctlr = new(3, 0, 12, 12, 4), Sre = new(3, 0, 12, 12, 5),
        Igrpen0 = new(3, 0, 12, 12, 6), Igrpen1 = new(3, 0, 12, 12, 7);

    /// <summary>ICC_SRE_EL1 as KVM shows it to a GICv3 guest: SRE, DFB and DIB set (RAO/WI).</summary>
    public const ulong SreValue = 0x7;

    private const uint G0 = IchHcr.TAll0, G1 = IchHcr.TAll1, Common = IchHcr.Tc;

    /// <summary>
    /// Every ICC register a GICv3 guest can reach at EL1. TALL0 traps the Group 0 registers (IAR0, EOIR0, HPPIR0, BPR0,
    /// AP0Rn, IGRPEN0), TALL1 the Group 1 ones (IAR1, EOIR1, HPPIR1, BPR1, AP1Rn, IGRPEN1), TC those common to both
    /// (CTLR, DIR, PMR, RPR and the SGI generation registers), TDIR DIR alone; ICC_SRE_EL1 is trapped by none of them
    /// (only by ICC_SRE_EL2.Enable = 0). KVM's __vgic_v3_check_trap_forwarding groups them the same way.
    /// </summary>
    public static IReadOnlyList<IccRegister> Registers { get; } =
    [
        new("ICC_PMR_EL1", Pmr, IccAccess.ReadWrite, Common),
        new("ICC_IAR0_EL1", Iar0, IccAccess.Read, G0),
        new("ICC_EOIR0_EL1", Eoir0, IccAccess.Write, G0),
        new("ICC_HPPIR0_EL1", Hppir0, IccAccess.Read, G0),
        new("ICC_BPR0_EL1", Bpr0, IccAccess.ReadWrite, G0),
        new("ICC_AP0R0_EL1", Ap0r(0), IccAccess.ReadWrite, G0),
        new("ICC_AP0R1_EL1", Ap0r(1), IccAccess.ReadWrite, G0),
        new("ICC_AP0R2_EL1", Ap0r(2), IccAccess.ReadWrite, G0),
        new("ICC_AP0R3_EL1", Ap0r(3), IccAccess.ReadWrite, G0),
        new("ICC_AP1R0_EL1", Ap1r(0), IccAccess.ReadWrite, G1),
        new("ICC_AP1R1_EL1", Ap1r(1), IccAccess.ReadWrite, G1),
        new("ICC_AP1R2_EL1", Ap1r(2), IccAccess.ReadWrite, G1),
        new("ICC_AP1R3_EL1", Ap1r(3), IccAccess.ReadWrite, G1),
        new("ICC_DIR_EL1", Dir, IccAccess.Write, Common | IchHcr.Tdir),
        new("ICC_RPR_EL1", Rpr, IccAccess.Read, Common),
        new("ICC_SGI1R_EL1", Sgi1r, IccAccess.Write, Common, AlwaysTraps: true),
        new("ICC_ASGI1R_EL1", Asgi1r, IccAccess.Write, Common, AlwaysTraps: true),
        new("ICC_SGI0R_EL1", Sgi0r, IccAccess.Write, Common, AlwaysTraps: true),
        new("ICC_IAR1_EL1", Iar1, IccAccess.Read, G1),
        new("ICC_EOIR1_EL1", Eoir1, IccAccess.Write, G1),
        new("ICC_HPPIR1_EL1", Hppir1, IccAccess.Read, G1),
        new("ICC_BPR1_EL1", Bpr1, IccAccess.ReadWrite, G1),
        new("ICC_CTLR_EL1", Ctlr, IccAccess.ReadWrite, Common),
        new("ICC_SRE_EL1", Sre, IccAccess.ReadWrite, 0),
        new("ICC_IGRPEN0_EL1", Igrpen0, IccAccess.ReadWrite, G0),
        new("ICC_IGRPEN1_EL1", Igrpen1, IccAccess.ReadWrite, G1),
    ];

    private static readonly Dictionary<SysReg, IccRegister> ByEncoding = Registers.ToDictionary(r => r.Reg);

    /// <summary>The register with this encoding (an encoding that is no ICC register throws).</summary>
    public static IccRegister Describe(SysReg reg) =>
        ByEncoding.TryGetValue(reg, out var r) ? r : throw new ArgumentException($"{reg} is not an ICC register", nameof(reg));

    /// <summary>The registers the virtual CPU interface serves (unless an ICH_HCR_EL2 trap bit says otherwise).</summary>
    public static IEnumerable<SysReg> Served() => Registers.Where(r => !r.AlwaysTraps).Select(r => r.Reg);

    /// <summary>The SGI generation registers: always trapped to EL2 when HCR_EL2.IMO/FMO are set.</summary>
    public static IEnumerable<SysReg> SgiGeneration() => Registers.Where(r => r.AlwaysTraps).Select(r => r.Reg);
}
