using IrqBench.Machine.Traps;

namespace IrqBench.Gicv3.CpuInterface;

/// <summary>The ICC_* system-register encodings (op0, op1, CRn, CRm, op2), gicv3.md §3.1.</summary>
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

    /// <summary>The registers the virtual CPU interface serves without a trap (those of the common group, CTLR, DIR,
    /// PMR and RPR, trap while ICH_HCR_EL2.TC — or, for DIR, TDIR — is set).</summary>
    public static IEnumerable<SysReg> Served()
    {
        yield return Pmr;
        yield return Iar0; yield return Eoir0; yield return Hppir0; yield return Bpr0;
        for (int n = 0; n < 4; n++) { yield return Ap0r(n); yield return Ap1r(n); }
        yield return Dir; yield return Rpr;
        yield return Iar1; yield return Eoir1; yield return Hppir1; yield return Bpr1;
        yield return Ctlr; yield return Sre; yield return Igrpen0; yield return Igrpen1;
    }

    /// <summary>The SGI generation registers: always trapped to EL2 when HCR_EL2.IMO/FMO are set.</summary>
    public static IEnumerable<SysReg> SgiGeneration() => [Sgi1r, Asgi1r, Sgi0r];
}
