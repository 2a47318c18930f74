using IrqBench.Gicv3.Registers;
using IrqBench.Gicv3.Vgic;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Traps;
using IrqBench.Machine.Vcpus;
using static IrqBench.Gicv3.Registers.Gicd;
using static IrqBench.Gicv3.Registers.RegisterDescriptor;

namespace IrqBench.Gicv3.Distributor;

/// <summary>
/// The GICD frame (KVM's vgic_v3_dist_registers, gicv3.md §1): the register table and the registers that are not
/// per-IRQ. With affinity routing always on, the first 32 INTIDs of every per-IRQ array are RAZ/WI here (they live
/// in the redistributors), as are ITARGETSR, SGIR and the SGI pending registers.
/// </summary>
internal sealed class DistributorRegisters : IMmioHandler
{
    private readonly KvmVgic vgic;
    private readonly RegisterFile file;
    private readonly bool hasIts, gicv41;

    public DistributorRegisters(KvmVgic vgic, bool hasIts, bool gicv41)
    {
        this.vgic = vgic;
        this.hasIts = hasIts;
        this.gicv41 = gicv41;
        var h = new IrqRegisterHandlers(vgic);
        file = new RegisterFile(Table(h), vgic.Dist.NrIrqs);
    }

    public RegisterFile File => file;

    private IEnumerable<RegisterDescriptor> Table(IrqRegisterHandlers h)
    {
        yield return Word("GICD_CTLR", Ctlr, ReadCtlr, WriteCtlr);
        yield return Word("GICD_TYPER", Typer, ReadTyper, null);
        yield return Word("GICD_IIDR", Iidr, ReadIidr, null);
        yield return Word("GICD_TYPER2", Typer2, ReadTyper2, null);
        yield return RazWi("GICD_STATUSR", Statusr, 4);
        yield return RazWi("GICD_SETSPI/CLRSPI", 0x0040, 0x20); // no message-based SPIs (TYPER.MBIS = 0)
        foreach (var d in PerIrqShared("GICD_IGROUPR", IGroupR, 1, AccessWidths.Word, h.ReadGroup, h.WriteGroup)) yield return d;
        foreach (var d in PerIrqShared("GICD_ISENABLER", ISEnableR, 1, AccessWidths.Word, h.ReadEnable, h.WriteSetEnable)) yield return d;
        foreach (var d in PerIrqShared("GICD_ICENABLER", ICEnableR, 1, AccessWidths.Word, h.ReadEnable, h.WriteClearEnable)) yield return d;
        foreach (var d in PerIrqShared("GICD_ISPENDR", ISPendR, 1, AccessWidths.Word, h.ReadPending, h.WriteSetPending)) yield return d;
        foreach (var d in PerIrqShared("GICD_ICPENDR", ICPendR, 1, AccessWidths.Word, h.ReadPending, h.WriteClearPending)) yield return d;
        foreach (var d in PerIrqShared("GICD_ISACTIVER", ISActiveR, 1, AccessWidths.Word, h.ReadActive, h.WriteSetActive)) yield return d;
        foreach (var d in PerIrqShared("GICD_ICACTIVER", ICActiveR, 1, AccessWidths.Word, h.ReadActive, h.WriteClearActive)) yield return d;
        foreach (var d in PerIrqShared("GICD_IPRIORITYR", IPriorityR, 8, AccessWidths.ByteOrWord, h.ReadPriority, h.WritePriority)) yield return d;
        yield return RazWi("GICD_ITARGETSR", ITargetsR, 0x400, AccessWidths.ByteOrWord);
        foreach (var d in PerIrqShared("GICD_ICFGR", ICfgR, 2, AccessWidths.Word, h.ReadConfig, h.WriteConfig)) yield return d;
        yield return RazWi("GICD_IGRPMODR", IGrpModR, 0x80); // DS = 1
        yield return RazWi("GICD_NSACR", NsacR, 0x100);
        yield return RazWi("GICD_SGIR", SgiR, 4);
        yield return RazWi("GICD_CPENDSGIR", CPendSgiR, 0x10, AccessWidths.ByteOrWord);
        yield return RazWi("GICD_SPENDSGIR", SPendSgiR, 0x10, AccessWidths.ByteOrWord);
        foreach (var d in PerIrqShared("GICD_IROUTER", IRouteR, 64, AccessWidths.WordOrDword, ReadIrouter, WriteIrouter)) yield return d;
        yield return Word("GICD_IDREGS", IdRegs, ReadIdRegs, null) with { Length = 0x30 };
    }

    /// <summary>REGISTER_DESC_WITH_BITS_PER_IRQ_SHARED: a RAZ/WI head for the 32 private INTIDs, then the array
    /// for INTIDs 32..1023 (the central check stops at nr_spis + 32).</summary>
    private static IEnumerable<RegisterDescriptor> PerIrqShared(string name, uint offset, int bits, AccessWidths widths,
        RegisterRead read, RegisterWrite write)
    {
        uint head = (uint)(32 * bits / 8);
        yield return RazWi(name + "(SGI/PPI)", offset, head, widths);
        yield return PerIrq(name, offset + head, bits, 1024 - 32, widths, read, write, firstIntId: 32);
    }

    // ---- IMmioHandler: a stage-2 abort on the GICD frame, handled in the host kernel -----------------------

    public ulong Read(Vcpu cpu, ulong offset, int size)
    {
        cpu.ChargeHyp(vgic.Costs.MmioDispatch);
        return file.Read(cpu, -1, (uint)offset, size);
    }

    public void Write(Vcpu cpu, ulong offset, int size, ulong value)
    {
        cpu.ChargeHyp(vgic.Costs.MmioDispatch);
        file.Write(cpu, -1, (uint)offset, size, value);
    }

    // ---- GICD_CTLR, TYPER, IIDR, TYPER2, IDREGS (vgic_mmio_read/write_v3_misc) ------------------------------

    /// <summary>ARE and DS always read as one; EnableGrp1 is the only enable stored (no Group 0 enable).</summary>
    private ulong ReadCtlr(in MmioAccess a)
    {
        a.Cpu.ChargeHyp(vgic.Costs.MmioReg);
        var d = vgic.Dist;
        return CtlrAre | CtlrDs | (d.Enabled ? CtlrEnableGrp1 : 0) | (d.NassgiReq ? CtlrNassgiReq : 0);
    }

    /// <summary>Under the config lock; enabling the distributor kicks every vCPU that now has something pending.
    /// nASSGIreq exists only with GICv4.1 and only changes while the distributor is disabled.</summary>
    private void WriteCtlr(in MmioAccess a, ulong value)
    {
        var d = vgic.Dist;
        a.Cpu.TakeLock(d.ConfigLock, vgic.Costs.MmioReg);
        bool wasEnabled = d.Enabled;
        d.Enabled = (value & CtlrEnableGrp1) != 0;
        if (gicv41 && !(wasEnabled && d.Enabled))
        {
            bool req = (value & CtlrNassgiReq) != 0;
            if (req != d.NassgiReq) vgic.ConfigureVsgis(vgic.CpuOf(a.Cpu), req);
        }
        if (!wasEnabled && d.Enabled) vgic.KickVcpusWithPending(a.Cpu);
    }

    /// <summary>ITLinesNumber from nr_spis; IDbits 16 with an ITS (and LPIS), 10 without.</summary>
    private ulong ReadTyper(in MmioAccess a)
    {
        a.Cpu.ChargeHyp(vgic.Costs.MmioReg);
        uint v = (vgic.Dist.NrIrqs >> 5) - 1;
        v |= (uint)((hasIts ? 16 : 10) - 1) << 19;
        if (hasIts) v |= 1u << 17;
        return v;
    }

    private ulong ReadIidr(in MmioAccess a)
    {
        a.Cpu.ChargeHyp(vgic.Costs.MmioReg);
        return (ProductIdKvm << 24) | (vgic.Dist.ImplementationRev << 12) | ImplementerArm;
    }

    /// <summary>nASSGIcap with GICv4.1.</summary>
    private ulong ReadTyper2(in MmioAccess a)
    {
        a.Cpu.ChargeHyp(vgic.Costs.MmioReg);
        return gicv41 ? 1u << 8 : 0;
    }

    /// <summary>KVM implements PIDR2 (architecture revision 3) and reads the other ID registers as zero.</summary>
    private ulong ReadIdRegs(in MmioAccess a)
    {
        a.Cpu.ChargeHyp(vgic.Costs.MmioReg);
        return a.Offset == Pidr2 ? Pidr2Gicv3 : 0;
    }

    // ---- GICD_IROUTER<n> --------------------------------------------------------------------------------

    /// <summary>Only Aff2..Aff0 are kept (KVM does not implement Aff3, and ignores IRM: no 1-of-N routing).</summary>
    private ulong ReadIrouter(in MmioAccess a)
    {
        var irq = vgic.GetIrq(null, a.IntId)!;
        a.Cpu.ChargeHyp(vgic.Costs.MmioPerIrq);
        return a.Extract64(irq.Mpidr);
    }

    /// <summary>vgic_mmio_write_irouter: the upper word is write-ignored; the target vCPU is re-resolved on every
    /// write (an MPIDR that names no vCPU leaves the SPI with no target: it stays pending, undelivered). An
    /// interrupt already queued moves at its current owner's next prune.</summary>
    private void WriteIrouter(in MmioAccess a, ulong value)
    {
        if ((a.Offset & 4) != 0) return;
        var irq = vgic.GetIrq(null, a.IntId)!;
        vgic.LockIrq(a.Cpu, irq, vgic.Costs.MmioPerIrq);
        irq.Mpidr = value & 0xFF_FFFF;
        irq.TargetVcpu = vgic.MpidrToVcpu(irq.Mpidr);
    }

    /// <summary>Maps the frame (every access is a stage-2 abort handled by KVM's in-kernel vgic).</summary>
    public void Map(TrapRouter router, ulong baseAddress) =>
        router.MapMmio("GICD", baseAddress, Gicv3Config.FrameSize, this, Placement.HostKernel);
}
