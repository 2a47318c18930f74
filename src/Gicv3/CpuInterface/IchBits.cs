namespace IrqBench.Gicv3.CpuInterface;

/// <summary>ICH_LR&lt;n&gt;_EL2 fields (gicv3.md §4.2; KVM's ICH_LR_*).</summary>
public static class IchLr
{
    public const ulong StatePending = 1UL << 62, StateActive = 1UL << 63, StateMask = StatePending | StateActive;
    public const ulong Hw = 1UL << 61, Group = 1UL << 60, Nmi = 1UL << 59;
    /// <summary>With HW = 0: raise an EOI maintenance interrupt when this LR is deactivated.</summary>
    public const ulong Eoi = 1UL << 41;
    public const int PriorityShift = 48, PhysIdShift = 32;
    public const ulong PhysIdMask = 0x3FFUL << PhysIdShift;

    public static uint VIntId(ulong lr) => (uint)lr;
    public static uint PIntId(ulong lr) => (uint)((lr & PhysIdMask) >> PhysIdShift);
    public static byte Priority(ulong lr) => (byte)(lr >> PriorityShift);
    public static bool IsPending(ulong lr) => (lr & StatePending) != 0;
    public static bool IsActive(ulong lr) => (lr & StateActive) != 0;
    public static bool IsValid(ulong lr) => (lr & StateMask) != 0;
    public static int GroupOf(ulong lr) => (lr & Group) != 0 ? 1 : 0;

    /// <summary>State = 0, HW = 0, EOI = 1: the LR raises the EOI maintenance interrupt (ICH_EISR_EL2).</summary>
    public static bool SignalsEoi(ulong lr) => (lr & (StateMask | Hw | Eoi)) == Eoi;

    /// <summary>Builds an LR value.</summary>
    public static ulong Make(uint vintid, byte priority, int group, bool pending, bool active = false,
        bool hw = false, uint pintid = 0, bool eoi = false)
    {
        ulong v = vintid | ((ulong)priority << PriorityShift);
        if (group != 0) v |= Group;
        if (pending) v |= StatePending;
        if (active) v |= StateActive;
        if (hw) v |= Hw | (((ulong)pintid << PhysIdShift) & PhysIdMask);
        else if (eoi) v |= Eoi;
        return v;
    }
}

/// <summary>ICH_HCR_EL2 fields (gicv3.md §4.1).</summary>
public static class IchHcr
{
    public const uint En = 1u << 0, Uie = 1u << 1, LrEnPie = 1u << 2, NpIe = 1u << 3,
        VGrp0Eie = 1u << 4, VGrp0Die = 1u << 5, VGrp1Eie = 1u << 6, VGrp1Die = 1u << 7,
        VSgiEoiCount = 1u << 8, Tc = 1u << 10, TAll0 = 1u << 11, TAll1 = 1u << 12, Tsei = 1u << 13, Tdir = 1u << 14;
    public const int EoiCountShift = 27;
    public const uint EoiCountMask = 0x1Fu << EoiCountShift;

    public static uint EoiCount(uint hcr) => (hcr & EoiCountMask) >> EoiCountShift;
}

/// <summary>ICH_VMCR_EL2 fields (gicv3.md §4.1).</summary>
public static class IchVmcr
{
    public const uint Eng0 = 1u << 0, Eng1 = 1u << 1, AckCtl = 1u << 2, FiqEn = 1u << 3, Cbpr = 1u << 4, Eoim = 1u << 9;
    public const int Bpr1Shift = 18, Bpr0Shift = 21, PmrShift = 24;

    public static byte Pmr(uint vmcr) => (byte)(vmcr >> PmrShift);
    public static int Bpr0(uint vmcr) => (int)((vmcr >> Bpr0Shift) & 7);
    public static int Bpr1(uint vmcr) => (int)((vmcr >> Bpr1Shift) & 7);
}

/// <summary>ICH_MISR_EL2 fields: why the maintenance interrupt is asserted (gicv3.md §4.3).</summary>
public static class IchMisr
{
    public const uint Eoi = 1u << 0, U = 1u << 1, LrEnp = 1u << 2, Np = 1u << 3,
        VGrp0E = 1u << 4, VGrp0D = 1u << 5, VGrp1E = 1u << 6, VGrp1D = 1u << 7;
}

/// <summary>ICC_CTLR_EL1 fields seen through the virtual interface (gicv3.md §3.2).</summary>
public static class IccCtlr
{
    public const uint Cbpr = 1u << 0, EoiMode = 1u << 1, A3V = 1u << 15;
    public const int PriBitsShift = 8, IdBitsShift = 11;
}

/// <summary>The special INTIDs (1020-1023; 1023 is "spurious").</summary>
public static class SpecialIntIds
{
    public const uint Spurious = 1023;
    public static bool IsSpecial(uint intid) => intid is >= 1020 and <= 1023;
    public const uint FirstLpi = 8192;
}
