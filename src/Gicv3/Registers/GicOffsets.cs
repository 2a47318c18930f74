namespace IrqBench.Gicv3.Registers;

/// <summary>The GICD frame's register offsets and the fields KVM reports (gicv3.md §1.2-1.4; KVM's arm-gic-v3.h).</summary>
public static class Gicd
{
    public const uint Ctlr = 0x0000, Typer = 0x0004, Iidr = 0x0008, Typer2 = 0x000C, Statusr = 0x0010,
        IGroupR = 0x0080, ISEnableR = 0x0100, ICEnableR = 0x0180, ISPendR = 0x0200, ICPendR = 0x0280,
        ISActiveR = 0x0300, ICActiveR = 0x0380, IPriorityR = 0x0400, ITargetsR = 0x0800, ICfgR = 0x0C00,
        IGrpModR = 0x0D00, NsacR = 0x0E00, SgiR = 0x0F00, CPendSgiR = 0x0F10, SPendSgiR = 0x0F20,
        IRouteR = 0x6000, IdRegs = 0xFFD0, Pidr2 = 0xFFE8;

    /// <summary>GICD_CTLR bits: EnableGrp1 (DS = 1 view), ARE, DS, nASSGIreq.</summary>
    public const uint CtlrEnableGrp1 = 1u << 1, CtlrAre = 1u << 4, CtlrDs = 1u << 6, CtlrNassgiReq = 1u << 8;

    /// <summary>KVM's IIDR: ProductID 'K' (0x4B), Implementer Arm (0x43B), Revision = implementation_rev.</summary>
    public const uint ProductIdKvm = 0x4B, ImplementerArm = 0x43B, Pidr2Gicv3 = 0x3B;
}

/// <summary>The redistributor frames' register offsets (RD_base, and SGI_base relative to its own frame) and fields
/// (gicv3.md §2.2-2.3).</summary>
public static class Gicr
{
    public const uint Ctlr = 0x0000, Iidr = 0x0004, Typer = 0x0008, Statusr = 0x0010, Waker = 0x0014,
        SetLpiR = 0x0040, ClrLpiR = 0x0048, PropBaser = 0x0070, PendBaser = 0x0078, InvLpiR = 0x00A0,
        InvAllR = 0x00B0, SyncR = 0x00C0, IdRegs = 0xFFD0, Pidr2 = 0xFFE8;

    /// <summary>SGI_base offsets (relative to the SGI frame).</summary>
    public const uint IGroupR0 = 0x0080, ISEnableR0 = 0x0100, ICEnableR0 = 0x0180, ISPendR0 = 0x0200,
        ICPendR0 = 0x0280, ISActiveR0 = 0x0300, ICActiveR0 = 0x0380, IPriorityR = 0x0400, ICfgR = 0x0C00,
        IGrpModR0 = 0x0D00, NsacR = 0x0E00;

    public const uint CtlrEnableLpis = 1u << 0, CtlrCes = 1u << 1, CtlrIr = 1u << 2;
    public const ulong TyperPlpis = 1UL << 0, TyperLast = 1UL << 4;
}
