using IrqBench.Gicv3.Vgic;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Metrics;
using IrqBench.Machine.Traps;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Gicv3.CpuInterface;

/// <summary>
/// What an ICC access does to the vCPU's virtual CPU interface — acknowledge from the list registers, EOI, the
/// VMCR fields, the active priorities — whether the CPU serves it as ICV_* (gicv3.md §4.4) or KVM's EL2 fast path
/// emulates it after a trap (__vgic_v3_perform_cpuif_access: __vgic_v3_read_iar, _write_eoir, _write_pmr, _read_rpr,
/// ...). Both paths reach the same state through the same operations, so a trapped access gives the guest exactly what
/// the hardware would (DECISIONS.md 30).
/// </summary>
internal sealed class CpuInterfaceAccess(KvmVgic vgic)
{
    private readonly int nrApr = 1 << (vgic.Config.PriorityBits - 5);

    public ulong Read(VgicCpu c, SysReg reg)
    {
        var hw = c.Cpuif;
        if (reg == IccSysRegs.Iar1 || reg == IccSysRegs.Iar0)
        {
            uint intid = hw.ReadIar(reg == IccSysRegs.Iar1 ? 1 : 0);
            if (!SpecialIntIds.IsSpecial(intid)) vgic.RecordAcknowledge(c, intid);
            vgic.CheckMaintenance(c);
            return intid;
        }
        if (reg == IccSysRegs.Hppir1) return hw.ReadHppir(1);
        if (reg == IccSysRegs.Hppir0) return hw.ReadHppir(0);
        if (reg == IccSysRegs.Pmr) return hw.Pmr;
        if (reg == IccSysRegs.Rpr) return hw.ReadRpr();
        if (reg == IccSysRegs.Bpr1) return (ulong)hw.ReadBpr(1);
        if (reg == IccSysRegs.Bpr0) return (ulong)hw.ReadBpr(0);
        if (reg == IccSysRegs.Ctlr) return hw.ReadCtlr();
        if (reg == IccSysRegs.Sre) return IccSysRegs.SreValue;
        if (reg == IccSysRegs.Igrpen1) return hw.GetGroupEnable(1) ? 1UL : 0;
        if (reg == IccSysRegs.Igrpen0) return hw.GetGroupEnable(0) ? 1UL : 0;
        if (IsAp(reg, out int group, out int n)) return n < nrApr ? hw.GetAp(group, n) : 0;
        return 0; // EOIR and DIR are write-only
    }

    public void Write(VgicCpu c, SysReg reg, ulong value)
    {
        var hw = c.Cpuif;
        if (reg == IccSysRegs.Eoir1) hw.WriteEoir(1, (uint)value);
        else if (reg == IccSysRegs.Eoir0) hw.WriteEoir(0, (uint)value);
        else if (reg == IccSysRegs.Dir) hw.WriteDir((uint)value);
        else if (reg == IccSysRegs.Pmr) hw.Pmr = (byte)value;
        else if (reg == IccSysRegs.Bpr1) hw.WriteBpr(1, (int)value);
        else if (reg == IccSysRegs.Bpr0) hw.WriteBpr(0, (int)value);
        else if (reg == IccSysRegs.Ctlr) hw.WriteCtlr((uint)value);
        else if (reg == IccSysRegs.Igrpen1) hw.SetGroupEnable(1, (value & 1) != 0);
        else if (reg == IccSysRegs.Igrpen0) hw.SetGroupEnable(0, (value & 1) != 0);
        else if (IsAp(reg, out int group, out int n) && n < nrApr) hw.SetAp(group, n, (uint)value);
        vgic.CheckMaintenance(c);
    }

    private static bool IsAp(SysReg reg, out int group, out int n)
    {
        group = reg.CRm == 9 ? 1 : 0;
        n = reg.Op2 & 3;
        return reg.CRn == 12 && (reg.CRm == 9 || (reg.CRm == 8 && reg.Op2 >= 4));
    }

    /// <summary>The list registers KVM's emulation reads for this access: all used ones to find the highest pending
    /// (IAR, HPPIR), up to the active one for an EOI or DIR (__vgic_v3_find_active_lr); none otherwise.</summary>
    public int LrsScanned(VgicCpu c, SysReg reg, ulong value)
    {
        if (reg == IccSysRegs.Iar1 || reg == IccSysRegs.Iar0 || reg == IccSysRegs.Hppir1 || reg == IccSysRegs.Hppir0)
            return c.UsedLrs;
        if (reg == IccSysRegs.Eoir1 || reg == IccSysRegs.Eoir0 || reg == IccSysRegs.Dir)
        {
            int i = c.Cpuif.FindActive((uint)value & 0xFF_FFFF);
            return i >= 0 && i < c.UsedLrs ? i + 1 : c.UsedLrs;
        }
        return 0;
    }
}

/// <summary>
/// The guest's ICC_* accesses that ICH_HCR_EL2 does not trap, redirected to the ICV_* registers (gicv3.md §4.5):
/// served by the vCPU's <see cref="VirtualCpuInterface"/> with no exit, at the hardware cost <c>icv_access</c> charged
/// as guest time. The trap bits that are set for the whole VM (vgic_ich_hcr_trap_bits) are registered trapped with the
/// machine (<see cref="TrappedInterfaceRegisters"/>); the one that changes per vCPU and entry — v6.19's TDIR — is
/// checked here on the live ICH_HCR_EL2, and such an access pays its own exit (DECISIONS.md, "Per-vCPU traps").
/// </summary>
internal sealed class VirtualInterfaceRegisters(KvmVgic vgic, CpuInterfaceAccess access, TrappedInterfaceRegisters el2) : ISysregHandler
{
    private readonly Counter served = vgic.Vm.Metrics.Get("gicv3.icv_accesses");

    public ulong Read(Vcpu cpu, SysReg reg)
    {
        var c = vgic.CpuOf(cpu);
        if (c.Cpuif.Traps(IccSysRegs.Describe(reg)))
        {
            long start = el2.BeginSelfPaidTrap(c);
            ulong v = el2.Read(cpu, reg);
            el2.EndSelfPaidTrap(c, start);
            return v;
        }
        served.Value++;
        cpu.Compute(vgic.Costs.IcvAccess);
        return access.Read(c, reg);
    }

    public void Write(Vcpu cpu, SysReg reg, ulong value)
    {
        var c = vgic.CpuOf(cpu);
        if (c.Cpuif.Traps(IccSysRegs.Describe(reg)))
        {
            long start = el2.BeginSelfPaidTrap(c);
            el2.Write(cpu, reg, value);
            el2.EndSelfPaidTrap(c, start);
            return;
        }
        served.Value++;
        cpu.Compute(vgic.Costs.IcvAccess);
        access.Write(c, reg, value);
    }
}

/// <summary>
/// KVM's EL2 fast path for a trapped ICC access (fixup_guest_exit → kvm_hyp_handle_sysreg →
/// __vgic_v3_perform_cpuif_access), registered at <see cref="Placement.El2"/>: the machine charges the exception, the
/// fast path (no run-loop exit, no fold or flush: the list registers, VMCR and APRs are live) and the ESR decode; this
/// charges the emulation (<c>icc_emulate</c>, and <c>icc_emulate_lr</c> per list register read) and applies it to the
/// live state. A DIR it cannot finish — EOImode 1 and the interrupt not active in this vCPU's list registers — goes on
/// to the host's run loop and vgic_v3_deactivate (v6.19), paying the rest of a host exit.
/// </summary>
internal sealed class TrappedInterfaceRegisters(KvmVgic vgic, CpuInterfaceAccess access) : ISysregHandler
{
    private readonly Counter emulated = vgic.Vm.Metrics.Get("gicv3.icc_traps");

    public ulong Read(Vcpu cpu, SysReg reg)
    {
        var c = vgic.CpuOf(cpu);
        Charge(c, reg, 0);
        return access.Read(c, reg);
    }

    public void Write(Vcpu cpu, SysReg reg, ulong value)
    {
        var c = vgic.CpuOf(cpu);
        if (reg == IccSysRegs.Dir)
        {
            vgic.DirTraps.Value++;
            uint intid = (uint)value & 0xFF_FFFF;
            var hw = c.Cpuif;
            if (hw.EoiModeSplit && intid < 1020 && hw.FindActive(intid) < 0)
            {
                Charge(c, reg, value);
                ToHost(c, () => vgic.Deactivate(c, intid));
                return;
            }
        }
        Charge(c, reg, value);
        access.Write(c, reg, value);
    }

    private void Charge(VgicCpu c, SysReg reg, ulong value)
    {
        emulated.Value++;
        c.Vcpu.ChargeHyp(vgic.Costs.IccEmulate + vgic.Costs.IccEmulateLr * access.LrsScanned(c, reg, value));
    }

    /// <summary>The fast path gave up (returned 0): the exit goes on to the run loop — the rest of the exit path,
    /// the fold, kvm_handle_sys_reg's decode, the handler, the flush and the entry.</summary>
    private void ToHost(VgicCpu c, Action handler)
    {
        var m = vgic.Machine;
        c.Vcpu.ChargeHyp(m.ExitPath(Placement.HostKernel) - m.ExceptionRoundtrip);
        vgic.Sync(c);
        c.Vcpu.ChargeHyp(m.SysregTrapDecode);
        handler();
        vgic.Flush(c);
        c.Vcpu.ChargeHyp(m.EntryPath(Placement.HostKernel));
    }

    /// <summary>A trap that the machine did not see (the bit is per vCPU): the exit half of an EL2-handled system
    /// register trap as the machine charges one (exception, fast path, ESR decode), counted as a sysreg exit. Returns
    /// the vCPU's hypervisor cycles before it, for <see cref="EndSelfPaidTrap"/>.</summary>
    public long BeginSelfPaidTrap(VgicCpu c)
    {
        var m = vgic.Machine;
        var cpu = c.Vcpu;
        vgic.Vm.Metrics.ExitsSysreg.Value++;
        long start = cpu.CyclesOf(TimeClass.Hyp);
        cpu.ChargeHyp(m.ExitPath(Placement.El2) + m.SysregTrapDecode);
        return start;
    }

    /// <summary>The entry half; the exit's handling time goes to the VM's sysreg exit statistics (the per-vCPU tally
    /// is the machine's own and cannot be reached from here).</summary>
    public void EndSelfPaidTrap(VgicCpu c, long start)
    {
        var cpu = c.Vcpu;
        cpu.ChargeHyp(vgic.Machine.EntryPath(Placement.El2));
        vgic.Vm.Metrics.Exits.Record(ExitReason.Sysreg, cpu.CyclesOf(TimeClass.Hyp) - start);
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
