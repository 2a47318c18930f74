using System.Numerics;
using IrqBench.Gicv3.Trust;

namespace IrqBench.Gicv3.CpuInterface;

/// <summary>Where the virtual CPU interface reports the deactivation of a list register with HW = 1: the physical
/// interrupt pINTID is deactivated in the physical GIC.</summary>
public interface IPhysicalDeactivation
{
    void Deactivate(uint pintid);
}

/// <summary>GICv4.1: the redistributor side of a vPE — its virtual pending table of vLPIs and vSGIs, which the CPU
/// interface considers beside the list registers (QEMU's hppvlpi).</summary>
public interface IVirtualPendingTable
{
    /// <summary>The highest-priority enabled pending vLPI/vSGI, if any.</summary>
    bool Highest(out uint intid, out byte priority);

    /// <summary>The CPU interface acknowledged it.</summary>
    void Acknowledge(uint intid);
}

/// <summary>
/// The GICv3 virtual CPU interface of one PE, as hardware: the list registers, ICH_HCR_EL2, ICH_VMCR_EL2 and the
/// active-priority registers, and what the CPU does with them on the guest's ICV_* accesses with no exit (gicv3.md
/// §4.4). A port of QEMU's icv_* functions (arm_gicv3_cpuif.c: hppvi_index, icv_hppi_can_preempt, icv_activate_irq,
/// icv_drop_prio, icv_eoir_write, icv_dir_write) without NMIs, with the GICv4.1 vPE's pending table beside the LRs
/// (QEMU's hppvlpi), and with KVM's maintenance-interrupt rules
/// (vgic_v3_get_misr). No hypervisor logic and no costs live here.
/// </summary>
public sealed class VirtualCpuInterface
{
    private readonly ulong[] lr;
    private readonly uint[] ap0r = new uint[4], ap1r = new uint[4];
    private uint vmcr;

    public VirtualCpuInterface(int listRegisters = 4, int priorityBits = 5, bool tds = true)
    {
        if (listRegisters is < 1 or > 16) throw new ArgumentOutOfRangeException(nameof(listRegisters));
        if (priorityBits is < 5 or > 7) throw new ArgumentOutOfRangeException(nameof(priorityBits));
        lr = new ulong[listRegisters];
        PriorityBits = priorityBits;
        Tds = tds;
        Vmcr = 0; // KVM's vgic_v3_enable: a zero VMCR makes the binary points their reset (minimum) values
    }

    public int ListRegisters => lr.Length;

    /// <summary>Virtual priority bits; the model implements as many preemption bits (ICH_VTR_EL2.PREbits = PRIbits).</summary>
    [field: ModelOnly("ICH_VTR_EL2, read-only hardware")] public int PriorityBits { get; }
    public int PreemptionBits => PriorityBits;
    [field: ModelOnly("ICH_VTR_EL2, read-only hardware")] public bool Tds { get; }

    /// <summary>Receives the deactivation of HW = 1 list registers.</summary>
    [field: ModelOnly("wiring to the physical GIC")] public IPhysicalDeactivation? Physical { get; set; }

    /// <summary>GICv4.1: the vPE's directly injected interrupts (Group 1), or null.</summary>
    [field: ModelOnly("wiring to the redistributor's vPE table")] public IVirtualPendingTable? Direct { get; set; }

    /// <summary>What <see cref="Hppvi"/> returns when the best candidate comes from <see cref="Direct"/>.</summary>
    public const int DirectIndex = 16;

    /// <summary>ICH_HCR_EL2.</summary>
    public uint Hcr { get; set; }

    /// <summary>
    /// Whether an EL1 access to <paramref name="reg"/> traps to EL2 rather than reaching the ICV_* registers: the SGI
    /// generation registers always do (HCR_EL2.IMO/FMO are set under a hypervisor); the others when ICH_HCR_EL2 has one
    /// of the register's trap bits set (TALL0, TALL1, TC; TDIR only where ICH_VTR_EL2.TDS says it is implemented,
    /// it is RES0 otherwise).
    /// </summary>
    public bool Traps(IccRegister reg) => Traps(reg, Hcr, Tds);

    /// <summary><see cref="Traps(IccRegister)"/> for an ICH_HCR_EL2 value <paramref name="hcr"/> on a CPU interface with
    /// or without TDS.</summary>
    public static bool Traps(IccRegister reg, uint hcr, bool tds)
    {
        if (reg.AlwaysTraps) return true;
        uint implemented = tds ? ~0u : ~IchHcr.Tdir;
        return (hcr & reg.TrapBits & implemented) != 0;
    }

    /// <summary>ICH_VTR_EL2: ListRegs, TDS, A3V, IDbits (16), PREbits, PRIbits.</summary>
    public uint Vtr => (uint)(ListRegisters - 1) | (Tds ? 1u << 19 : 0) | (1u << 21)
                       | ((uint)(PreemptionBits - 1) << 26) | ((uint)(PriorityBits - 1) << 29);

    /// <summary>ICH_VMCR_EL2. A write that sets a binary point below the minimum sets the minimum.</summary>
    public uint Vmcr
    {
        get => vmcr;
        set
        {
            vmcr = value & ~((7u << IchVmcr.Bpr0Shift) | (7u << IchVmcr.Bpr1Shift));
            vmcr |= (uint)Math.Max(IchVmcr.Bpr0(value), MinVbpr) << IchVmcr.Bpr0Shift;
            vmcr |= (uint)Math.Max(IchVmcr.Bpr1(value), MinVbpr + 1) << IchVmcr.Bpr1Shift;
            vmcr = (vmcr & ~(0xFFu << IchVmcr.PmrShift)) | ((uint)(IchVmcr.Pmr(value) & FullPriorityMask) << IchVmcr.PmrShift);
        }
    }

    public ulong GetLr(int i) => lr[i];

    /// <summary>Writes ICH_LR&lt;i&gt;_EL2; unimplemented priority bits are RES0.</summary>
    public void SetLr(int i, ulong value)
    {
        ulong prioMask = (ulong)(~FullPriorityMask & 0xFF) << IchLr.PriorityShift;
        lr[i] = value & ~prioMask;
    }

    public uint GetAp(int group, int n) => group == 0 ? ap0r[n] : ap1r[n];
    public void SetAp(int group, int n, uint value) { if (group == 0) ap0r[n] = value; else ap1r[n] = value; }

    // ---- priority arithmetic ---------------------------------------------------------------------------------

    private int MinVbpr => 7 - PreemptionBits;
    private int NumAprs => 1 << (PreemptionBits - 5);
    private uint FullPriorityMask => (0xFFu << (8 - PriorityBits)) & 0xFF;

    /// <summary>The running priority from the active-priority registers; 0xFF when idle.</summary>
    public int HighestActivePriority()
    {
        for (int i = 0; i < NumAprs; i++)
        {
            uint apr = ap0r[i] | ap1r[i];
            if (apr != 0) return (i * 32 + BitOperations.TrailingZeroCount(apr)) << (MinVbpr + 1);
        }
        return 0xFF;
    }

    /// <summary>The mask that keeps the group-priority bits under the group's binary point (VGroupBits).</summary>
    public uint GroupPriorityMask(int group)
    {
        if (group == 1 && (vmcr & IchVmcr.Cbpr) != 0) group = 0;
        int bpr = group == 0 ? IchVmcr.Bpr0(vmcr) : IchVmcr.Bpr1(vmcr) - 1;
        return ~0u << (bpr + 1);
    }

    /// <summary>The LR holding the highest-priority pending interrupt of an enabled group, or -1. An LR with
    /// priority 0xFF is never chosen; ties go to the lowest LR.</summary>
    public int HighestPriorityPendingIndex()
    {
        if ((vmcr & (IchVmcr.Eng0 | IchVmcr.Eng1)) == 0) return -1;
        int idx = -1, prio = 0xFF;
        for (int i = 0; i < lr.Length; i++)
        {
            ulong v = lr[i];
            if ((v & IchLr.StateMask) != IchLr.StatePending) continue;
            if ((v & IchLr.Group) != 0 ? (vmcr & IchVmcr.Eng1) == 0 : (vmcr & IchVmcr.Eng0) == 0) continue;
            int p = IchLr.Priority(v);
            if (p < prio) { prio = p; idx = i; }
        }
        return idx;
    }

    /// <summary>CanSignalVirtualInterrupt: the interface is enabled, the priority passes the mask, and its group
    /// priority beats the running priority (subpriority never preempts).</summary>
    public bool CanPreempt(ulong lrValue) => CanPreempt(IchLr.Priority(lrValue), IchLr.GroupOf(lrValue));

    private bool CanPreempt(uint prio, int group)
    {
        if ((Hcr & IchHcr.En) == 0) return false;
        if (prio >= IchVmcr.Pmr(vmcr)) return false;
        int rprio = HighestActivePriority();
        if (rprio == 0xFF) return true;
        uint mask = GroupPriorityMask(group);
        return (prio & mask) < ((uint)rprio & mask);
    }

    /// <summary>The highest-priority pending virtual interrupt: an LR index, <see cref="DirectIndex"/> when the vPE's
    /// pending table holds a better (Group 1) one, or -1.</summary>
    public int Hppvi(out uint intid, out uint priority, out int group)
    {
        int idx = HighestPriorityPendingIndex();
        intid = idx >= 0 ? IchLr.VIntId(lr[idx]) : 0;
        priority = idx >= 0 ? IchLr.Priority(lr[idx]) : 0xFFu;
        group = idx >= 0 ? IchLr.GroupOf(lr[idx]) : 1;
        if (Direct is { } d && (vmcr & IchVmcr.Eng1) != 0 && d.Highest(out uint di, out byte dp) && dp < priority)
        {
            intid = di;
            priority = dp;
            group = 1;
            return DirectIndex;
        }
        return idx;
    }

    /// <summary>The vIRQ line (a Group 1 interrupt can be signalled); <see cref="VirtualFiq"/> for Group 0.</summary>
    public bool VirtualIrq => Signalled(1);
    public bool VirtualFiq => Signalled(0);

    private bool Signalled(int group)
    {
        int idx = Hppvi(out _, out uint prio, out int g);
        return idx >= 0 && g == group && CanPreempt(prio, g);
    }

    // ---- the guest's ICV_* accesses --------------------------------------------------------------------------

    /// <summary>ICV_IAR0/1_EL1: acknowledge the HPPVI of <paramref name="group"/> if it can preempt: Pending → Active
    /// and its group priority becomes active; otherwise 1023.</summary>
    public uint ReadIar(int group)
    {
        int idx = Hppvi(out uint intid, out uint prio, out int g);
        if (idx < 0 || g != group || !CanPreempt(prio, g)) return SpecialIntIds.Spurious;
        if (idx == DirectIndex)
        {
            // A vLPI or vSGI: its group priority becomes active and it leaves the pending table.
            ActivatePriority(prio, group);
            Direct!.Acknowledge(intid);
            return intid;
        }
        if (SpecialIntIds.IsSpecial(intid)) { lr[idx] &= ~IchLr.StatePending; return intid; }
        ActivatePriority(prio, group);
        lr[idx] = (lr[idx] & ~IchLr.StatePending) | IchLr.StateActive;
        return intid;
    }

    private void ActivatePriority(uint priority, int group)
    {
        uint prio = priority & GroupPriorityMask(group);
        int aprBit = (int)(prio >> (8 - PreemptionBits));
        if (group == 0) ap0r[aprBit / 32] |= 1u << (aprBit % 32);
        else ap1r[aprBit / 32] |= 1u << (aprBit % 32);
    }

    /// <summary>ICV_HPPIR0/1_EL1.</summary>
    public uint ReadHppir(int group)
    {
        int idx = Hppvi(out uint intid, out _, out int g);
        return idx >= 0 && g == group ? intid : SpecialIntIds.Spurious;
    }

    /// <summary>ICV_EOIR0/1_EL1: drop the running priority first (QEMU's IMPDEF order), then, when EOImode = 0 (or for
    /// an LPI), deactivate the matching Active LR whose group and group priority match the level dropped. An EOI that
    /// finds no LR counts in EOIcount (not for LPIs). Special INTIDs are ignored; with nothing active the LRs are not
    /// checked.</summary>
    public void WriteEoir(int group, uint value)
    {
        uint irq = value & 0xFF_FFFF;
        if (SpecialIntIds.IsSpecial(irq)) return;
        int dropped = DropPriority();
        if (dropped == 0xFF) return;
        int idx = FindActive(irq);
        if (idx < 0)
        {
            // Not for an LPI, and with ICH_HCR_EL2.vSGIEOICount not for an SGI either (GICv4.1 vSGIs).
            if (irq < SpecialIntIds.FirstLpi && !(irq < 16 && (Hcr & IchHcr.VSgiEoiCount) != 0)) IncrementEoiCount();
            return;
        }
        ulong v = lr[idx];
        uint lrGprio = IchLr.Priority(v) & GroupPriorityMask(group);
        if (IchLr.GroupOf(v) == group && lrGprio == (uint)dropped
            && ((vmcr & IchVmcr.Eoim) == 0 || irq >= SpecialIntIds.FirstLpi))
            Deactivate(idx);
    }

    /// <summary>ICV_DIR_EL1: ignored unless EOImode = 1; deactivates the Active LR with that INTID, or counts in
    /// EOIcount when none holds it.</summary>
    public void WriteDir(uint value)
    {
        uint irq = value & 0xFF_FFFF;
        if (irq >= 1020) return; // special INTIDs and LPIs
        if ((vmcr & IchVmcr.Eoim) == 0) return;
        int idx = FindActive(irq);
        if (idx < 0) IncrementEoiCount();
        else Deactivate(idx);
    }

    /// <summary>Clears the lowest set active-priority bit (Group 0 first at equal level); the priority it stood for,
    /// or 0xFF if none was set.</summary>
    private int DropPriority()
    {
        for (int i = 0; i < NumAprs; i++)
        {
            if (ap0r[i] == 0 && ap1r[i] == 0) continue;
            int c0 = BitOperations.TrailingZeroCount(ap0r[i]), c1 = BitOperations.TrailingZeroCount(ap1r[i]);
            if (c0 <= c1) { ap0r[i] &= ap0r[i] - 1; return (c0 + i * 32) << (MinVbpr + 1); }
            ap1r[i] &= ap1r[i] - 1;
            return (c1 + i * 32) << (MinVbpr + 1);
        }
        return 0xFF;
    }

    /// <summary>FindActiveVirtualInterrupt: the LR that is Active with this vINTID, or -1.</summary>
    public int FindActive(uint irq)
    {
        for (int i = 0; i < lr.Length; i++)
            if ((lr[i] & IchLr.StateActive) != 0 && IchLr.VIntId(lr[i]) == irq) return i;
        return -1;
    }

    private void Deactivate(int idx)
    {
        ulong v = lr[idx];
        if ((v & IchLr.Hw) != 0 && IchLr.PIntId(v) < 1020) Physical?.Deactivate(IchLr.PIntId(v));
        lr[idx] = v & ~IchLr.StateActive; // Active → Invalid, Active+Pending → Pending
    }

    private void IncrementEoiCount() =>
        Hcr = (Hcr & ~IchHcr.EoiCountMask) | (((IchHcr.EoiCount(Hcr) + 1) << IchHcr.EoiCountShift) & IchHcr.EoiCountMask);

    /// <summary>ICV_RPR_EL1.</summary>
    public uint ReadRpr() => (uint)HighestActivePriority();

    /// <summary>ICV_PMR_EL1 (VMCR.VPMR).</summary>
    public byte Pmr
    {
        get => IchVmcr.Pmr(vmcr);
        set => vmcr = (vmcr & ~(0xFFu << IchVmcr.PmrShift)) | ((value & FullPriorityMask) << IchVmcr.PmrShift);
    }

    /// <summary>ICV_BPR0/1_EL1: with VCBPR, BPR1 reads BPR0 + 1 (saturating) and ignores writes.</summary>
    public int ReadBpr(int group)
    {
        if (group == 1 && (vmcr & IchVmcr.Cbpr) != 0) return Math.Min(IchVmcr.Bpr0(vmcr) + 1, 7);
        return group == 0 ? IchVmcr.Bpr0(vmcr) : IchVmcr.Bpr1(vmcr);
    }

    public void WriteBpr(int group, int value)
    {
        if (group == 1 && (vmcr & IchVmcr.Cbpr) != 0) return;
        int v = Math.Max(value & 7, group == 0 ? MinVbpr : MinVbpr + 1);
        int shift = group == 0 ? IchVmcr.Bpr0Shift : IchVmcr.Bpr1Shift;
        vmcr = (vmcr & ~(7u << shift)) | ((uint)v << shift);
    }

    /// <summary>ICV_CTLR_EL1: EOImode and CBPR from the VMCR, the fixed A3V, IDbits (16-bit) and PRIbits fields.</summary>
    public uint ReadCtlr() => IccCtlr.A3V | ((uint)(PriorityBits - 1) << IccCtlr.PriBitsShift)
                              | ((vmcr & IchVmcr.Eoim) != 0 ? IccCtlr.EoiMode : 0) | ((vmcr & IchVmcr.Cbpr) != 0 ? IccCtlr.Cbpr : 0);

    public void WriteCtlr(uint value)
    {
        vmcr = (vmcr & ~(IchVmcr.Cbpr | IchVmcr.Eoim)) | ((value & IccCtlr.Cbpr) != 0 ? IchVmcr.Cbpr : 0)
               | ((value & IccCtlr.EoiMode) != 0 ? IchVmcr.Eoim : 0);
    }

    /// <summary>ICV_IGRPEN0/1_EL1 (VMCR.VENG0/VENG1).</summary>
    public bool GetGroupEnable(int group) => (vmcr & (group == 0 ? IchVmcr.Eng0 : IchVmcr.Eng1)) != 0;

    public void SetGroupEnable(int group, bool enable)
    {
        uint bit = group == 0 ? IchVmcr.Eng0 : IchVmcr.Eng1;
        vmcr = enable ? vmcr | bit : vmcr & ~bit;
    }

    public bool EoiModeSplit => (vmcr & IchVmcr.Eoim) != 0;

    // ---- maintenance -----------------------------------------------------------------------------------------

    /// <summary>ICH_EISR_EL2: LRs with State = 0, HW = 0, EOI = 1.</summary>
    public uint Eisr
    {
        get
        {
            uint v = 0;
            for (int i = 0; i < lr.Length; i++) if (IchLr.SignalsEoi(lr[i])) v |= 1u << i;
            return v;
        }
    }

    /// <summary>ICH_ELRSR_EL2: LRs that hold nothing (State = 0 and no EOI maintenance to signal).</summary>
    public uint Elrsr
    {
        get
        {
            uint v = 0;
            for (int i = 0; i < lr.Length; i++)
                if (!IchLr.IsValid(lr[i]) && ((lr[i] & IchLr.Hw) != 0 || (lr[i] & IchLr.Eoi) == 0)) v |= 1u << i;
            return v;
        }
    }

    /// <summary>ICH_MISR_EL2, following KVM's vgic_v3_get_misr.</summary>
    public uint Misr
    {
        get
        {
            uint misr = 0;
            int valid = 0;
            bool seenPending = false, eoi = false;
            foreach (ulong v in lr)
            {
                if (IchLr.SignalsEoi(v)) eoi = true;
                if (IchLr.IsValid(v)) valid++;
                if ((v & IchLr.StateMask) == IchLr.StatePending) seenPending = true;
            }
            if (eoi) misr |= IchMisr.Eoi;
            if ((Hcr & IchHcr.Uie) != 0 && valid <= 1) misr |= IchMisr.U;
            if ((Hcr & IchHcr.LrEnPie) != 0 && IchHcr.EoiCount(Hcr) != 0) misr |= IchMisr.LrEnp;
            if ((Hcr & IchHcr.NpIe) != 0 && !seenPending) misr |= IchMisr.Np;
            bool eng0 = (vmcr & IchVmcr.Eng0) != 0, eng1 = (vmcr & IchVmcr.Eng1) != 0;
            if ((Hcr & IchHcr.VGrp0Eie) != 0 && eng0) misr |= IchMisr.VGrp0E;
            if ((Hcr & IchHcr.VGrp0Die) != 0 && !eng0) misr |= IchMisr.VGrp0D;
            if ((Hcr & IchHcr.VGrp1Eie) != 0 && eng1) misr |= IchMisr.VGrp1E;
            if ((Hcr & IchHcr.VGrp1Die) != 0 && !eng1) misr |= IchMisr.VGrp1D;
            return misr;
        }
    }

    /// <summary>The maintenance interrupt (a PPI to the host) is asserted while ICH_HCR_EL2.En = 1 and MISR ≠ 0.</summary>
    public bool MaintenanceAsserted => (Hcr & IchHcr.En) != 0 && Misr != 0;
}
