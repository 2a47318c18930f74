using IrqBench.Gicv3.Vgic;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Traps;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Gicv3.CpuInterface;

/// <summary>
/// The guest's ICC_* accesses redirected to the ICV_* registers (gicv3.md §4.5): served by the vCPU's
/// <see cref="VirtualCpuInterface"/> with no exit, at the hardware cost <c>icv_access</c> charged as guest time. The
/// common-group registers trap while ICH_HCR_EL2.TC is set (a CPU without TDIR), DIR also while TDIR is set: KVM's
/// EL2 fast path (__vgic_v3_perform_cpuif_access) emulates them, and a DIR it cannot finish goes on to
/// vgic_v3_deactivate in the host. The trap router decides trapping per VM, these bits are per vCPU, so those
/// accesses are registered untrapped and pay their exit here.
/// </summary>
internal sealed class VirtualInterfaceRegisters(KvmVgic vgic) : ISysregHandler
{
    private static int Key(SysReg r) => (r.CRn << 16) | (r.CRm << 8) | r.Op2;

    private static readonly int KPmr = Key(IccSysRegs.Pmr), KIar0 = Key(IccSysRegs.Iar0), KEoir0 = Key(IccSysRegs.Eoir0),
        KHppir0 = Key(IccSysRegs.Hppir0), KBpr0 = Key(IccSysRegs.Bpr0), KDir = Key(IccSysRegs.Dir), KRpr = Key(IccSysRegs.Rpr),
        KIar1 = Key(IccSysRegs.Iar1), KEoir1 = Key(IccSysRegs.Eoir1), KHppir1 = Key(IccSysRegs.Hppir1), KBpr1 = Key(IccSysRegs.Bpr1),
        KCtlr = Key(IccSysRegs.Ctlr), KSre = Key(IccSysRegs.Sre), KIgrpen0 = Key(IccSysRegs.Igrpen0), KIgrpen1 = Key(IccSysRegs.Igrpen1);

    public ulong Read(Vcpu cpu, SysReg reg)
    {
        var c = vgic.CpuOf(cpu);
        var hw = c.Cpuif;
        int k = Key(reg);
        if ((k == KCtlr || k == KPmr || k == KRpr) && (hw.Hcr & IchHcr.Tc) != 0)
        {
            ulong v = ReadServed(c, k, reg);
            FastPathTrap(c);
            return v;
        }
        cpu.Compute(vgic.Costs.IcvAccess);
        return ReadServed(c, k, reg);
    }

    private ulong ReadServed(VgicCpu c, int k, SysReg reg)
    {
        var hw = c.Cpuif;
        if (k == KIar1 || k == KIar0)
        {
            uint intid = hw.ReadIar(k == KIar1 ? 1 : 0);
            if (!SpecialIntIds.IsSpecial(intid)) vgic.RecordAcknowledge(c, intid);
            vgic.CheckMaintenance(c);
            return intid;
        }
        if (k == KHppir1) return hw.ReadHppir(1);
        if (k == KHppir0) return hw.ReadHppir(0);
        if (k == KPmr) return hw.Pmr;
        if (k == KRpr) return hw.ReadRpr();
        if (k == KBpr1) return (ulong)hw.ReadBpr(1);
        if (k == KBpr0) return (ulong)hw.ReadBpr(0);
        if (k == KCtlr) return hw.ReadCtlr();
        if (k == KSre) return IccSysRegs.SreValue;
        if (k == KIgrpen1) return hw.GetGroupEnable(1) ? 1UL : 0;
        if (k == KIgrpen0) return hw.GetGroupEnable(0) ? 1UL : 0;
        if (reg.CRm is 8 or 9 && reg.CRn == 12) return ReadAp(hw, reg);
        return 0; // EOIR and DIR are write-only
    }

    private static ulong ReadAp(VirtualCpuInterface hw, SysReg reg)
    {
        int group = reg.CRm == 9 ? 1 : 0, n = reg.Op2 & 3;
        return n < 1 << (hw.PreemptionBits - 5) ? hw.GetAp(group, n) : 0;
    }

    public void Write(Vcpu cpu, SysReg reg, ulong value)
    {
        var c = vgic.CpuOf(cpu);
        var hw = c.Cpuif;
        int k = Key(reg);
        if (k == KDir && (hw.Hcr & (IchHcr.Tdir | IchHcr.Tc)) != 0)
        {
            TrappedDir(c, (uint)value);
            return;
        }
        if ((k == KCtlr || k == KPmr) && (hw.Hcr & IchHcr.Tc) != 0)
        {
            WriteServed(c, k, reg, value);
            FastPathTrap(c);
            return;
        }
        cpu.Compute(vgic.Costs.IcvAccess);
        WriteServed(c, k, reg, value);
    }

    private void WriteServed(VgicCpu c, int k, SysReg reg, ulong value)
    {
        var hw = c.Cpuif;
        if (k == KEoir1) hw.WriteEoir(1, (uint)value);
        else if (k == KEoir0) hw.WriteEoir(0, (uint)value);
        else if (k == KDir) hw.WriteDir((uint)value);
        else if (k == KPmr) hw.Pmr = (byte)value;
        else if (k == KBpr1) hw.WriteBpr(1, (int)value);
        else if (k == KBpr0) hw.WriteBpr(0, (int)value);
        else if (k == KCtlr) hw.WriteCtlr((uint)value);
        else if (k == KIgrpen1) hw.SetGroupEnable(1, (value & 1) != 0);
        else if (k == KIgrpen0) hw.SetGroupEnable(0, (value & 1) != 0);
        else if (reg.CRn == 12 && reg.CRm is 8 or 9 && reg.Op2 >= (reg.CRm == 8 ? 4 : 0))
        {
            int group = reg.CRm == 9 ? 1 : 0, n = reg.Op2 & 3;
            if (n < 1 << (hw.PreemptionBits - 5)) hw.SetAp(group, n, (uint)value);
        }
        vgic.CheckMaintenance(c);
    }

    /// <summary>
    /// A DIR write that traps (TDIR or TC): KVM's EL2 fast path finishes it for EOImode 0 (where DIR does nothing),
    /// an LPI, or an interrupt active in this vCPU's list registers, exactly as the hardware would; anything else
    /// exits to access_gic_dir → vgic_v3_deactivate.
    /// </summary>
    private void TrappedDir(VgicCpu c, uint value)
    {
        vgic.DirTraps.Value++;
        var hw = c.Cpuif;
        uint intid = value & 0xFF_FFFF;
        if (!hw.EoiModeSplit || intid >= 1020 || hw.FindActive(intid) >= 0)
        {
            hw.WriteDir(value);
            vgic.CheckMaintenance(c);
            FastPathTrap(c);
            return;
        }
        EnterTrap(c, Placement.HostKernel);
        vgic.Deactivate(c, intid);
        LeaveTrap(c, Placement.HostKernel);
    }

    /// <summary>The exit and entry of a trapped access that KVM emulated at EL2 on the live list registers and VMCR
    /// (the caller has applied its effect).</summary>
    private void FastPathTrap(VgicCpu c)
    {
        EnterTrap(c, Placement.El2);
        LeaveTrap(c, Placement.El2);
    }

    /// <summary>The exit half of a system-register trap, as the machine charges one (Vcpu.BeginExit + decode).</summary>
    private void EnterTrap(VgicCpu c, Placement p)
    {
        var m = vgic.Machine;
        vgic.Vm.Metrics.ExitsSysreg.Value++;
        c.Vcpu.ChargeHyp(m.ExitPath(p));
        if (m.ReachesHost(p)) vgic.Sync(c);
        c.Vcpu.ChargeHyp(m.SysregTrapDecode);
    }

    private void LeaveTrap(VgicCpu c, Placement p)
    {
        var m = vgic.Machine;
        if (m.ReachesHost(p)) vgic.Flush(c);
        c.Vcpu.ChargeHyp(m.EntryPath(p));
    }
}

/// <summary>Trapped writes of ICC_SGI1R_EL1 (Group 1 allowed) and ICC_SGI0R/ASGI1R_EL1 (Group 0 only): KVM's
/// access_gic_sgi in the host kernel. Reading them is UNDEFINED; the model returns zero.</summary>
internal sealed class SgiGenerationRegisters(KvmVgic vgic) : ISysregHandler
{
    public ulong Read(Vcpu cpu, SysReg reg) => 0;

    public void Write(Vcpu cpu, SysReg reg, ulong value) =>
        vgic.DispatchSgi(vgic.CpuOf(cpu), value, allowGroup1: reg.Op2 == 5);
}
