using IrqBench.Gicv3.Distributor;
using IrqBench.Gicv3.Registers;
using IrqBench.Gicv3.Vgic;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Traps;
using IrqBench.Machine.Vcpus;
using static IrqBench.Gicv3.Registers.Gicr;
using static IrqBench.Gicv3.Registers.RegisterDescriptor;

namespace IrqBench.Gicv3.Redistributor;

/// <summary>
/// The redistributors (KVM's vgic_v3_rd_registers and vgic_v3_sgibase_registers, gicv3.md §2): one RD_base and one
/// SGI_base frame per vCPU, 128 KiB apart, in up to two regions (<see cref="RedistributorRegion"/>). An access is
/// dispatched to the frame's vCPU, whoever makes it; GICR_TYPER.Last marks the last frame of each contiguous run.
/// </summary>
internal sealed class RedistributorRegisters
{
    private readonly KvmVgic vgic;
    private readonly bool hasIts;
    private readonly RedistributorRegion[] regions;

    public RedistributorRegisters(KvmVgic vgic, Gicv3Config config)
    {
        this.vgic = vgic;
        hasIts = config.HasIts;
        regions = RedistributorRegion.Layout(config, vgic.Cpus.Length);
        var h = new IrqRegisterHandlers(vgic);
        RdBase = new RegisterFile(RdTable(), 32);
        SgiBase = new RegisterFile(SgiTable(h), 32);
    }

    public RegisterFile RdBase { get; }
    public RegisterFile SgiBase { get; }

    /// <summary>LPI register handlers (the ITS, when there is one).</summary>
    public ILpiRedistributor? Lpis { get; set; }

    private IEnumerable<RegisterDescriptor> RdTable()
    {
        yield return Word("GICR_CTLR", Ctlr, ReadCtlr, WriteCtlr);
        yield return Word("GICR_IIDR", Iidr, ReadIidr, null);
        yield return Dword("GICR_TYPER", Typer, ReadTyper, null);
        yield return RazWi("GICR_STATUSR", Statusr, 4);
        yield return RazWi("GICR_WAKER", Waker, 4); // KVM: the guest sees itself awake at once
        yield return RazWi("GICR_SETLPIR", SetLpiR, 8, AccessWidths.Dword);
        yield return RazWi("GICR_CLRLPIR", ClrLpiR, 8, AccessWidths.Dword);
        yield return Dword("GICR_PROPBASER", PropBaser, (in MmioAccess a) => Lpis?.ReadPropBaser(a) ?? 0, (in MmioAccess a, ulong v) => Lpis?.WritePropBaser(a, v));
        yield return Dword("GICR_PENDBASER", PendBaser, (in MmioAccess a) => Lpis?.ReadPendBaser(a) ?? 0, (in MmioAccess a, ulong v) => Lpis?.WritePendBaser(a, v));
        yield return Dword("GICR_INVLPIR", InvLpiR, null, (in MmioAccess a, ulong v) => Lpis?.WriteInvLpi(a, v));
        yield return Dword("GICR_INVALLR", InvAllR, null, (in MmioAccess a, ulong v) => Lpis?.WriteInvAll(a, v));
        yield return Word("GICR_SYNCR", SyncR, ReadZero, null); // Busy = 0: the emulation is synchronous
        yield return Word("GICR_IDREGS", IdRegs, ReadIdRegs, null) with { Length = 0x30 };
    }

    private static IEnumerable<RegisterDescriptor> SgiTable(IrqRegisterHandlers h)
    {
        yield return PerIrq("GICR_IGROUPR0", IGroupR0, 1, 32, AccessWidths.Word, h.ReadGroup, h.WriteGroup);
        yield return PerIrq("GICR_ISENABLER0", ISEnableR0, 1, 32, AccessWidths.Word, h.ReadEnable, h.WriteSetEnable);
        yield return PerIrq("GICR_ICENABLER0", ICEnableR0, 1, 32, AccessWidths.Word, h.ReadEnable, h.WriteClearEnable);
        yield return PerIrq("GICR_ISPENDR0", ISPendR0, 1, 32, AccessWidths.Word, h.ReadPending, h.WriteSetPending);
        yield return PerIrq("GICR_ICPENDR0", ICPendR0, 1, 32, AccessWidths.Word, h.ReadPending, h.WriteClearPending);
        yield return PerIrq("GICR_ISACTIVER0", ISActiveR0, 1, 32, AccessWidths.Word, h.ReadActive, h.WriteSetActive);
        yield return PerIrq("GICR_ICACTIVER0", ICActiveR0, 1, 32, AccessWidths.Word, h.ReadActive, h.WriteClearActive);
        yield return PerIrq("GICR_IPRIORITYR", IPriorityR, 8, 32, AccessWidths.ByteOrWord, h.ReadPriority, h.WritePriority);
        yield return PerIrq("GICR_ICFGR", ICfgR, 2, 32, AccessWidths.Word, h.ReadConfig, h.WriteConfig);
        yield return RazWi("GICR_IGRPMODR0", IGrpModR0, 4);
        yield return RazWi("GICR_NSACR", NsacR, 4);
    }

    private VgicCpu Frame(in MmioAccess a) => vgic.Cpus[a.Frame];

    private ulong ReadZero(in MmioAccess a)
    {
        a.Cpu.ChargeHyp(vgic.Costs.MmioReg);
        return 0;
    }

    /// <summary>EnableLPIs (with an ITS); implementation revision 3 also reports IR and CES.</summary>
    private ulong ReadCtlr(in MmioAccess a)
    {
        a.Cpu.ChargeHyp(vgic.Costs.MmioReg);
        uint v = Frame(a).EnableLpis ? CtlrEnableLpis : 0;
        if (vgic.Dist.ImplementationRev >= 3) v |= CtlrIr | CtlrCes;
        return v;
    }

    /// <summary>Only EnableLPIs is writable, and only with an ITS.</summary>
    private void WriteCtlr(in MmioAccess a, ulong value)
    {
        a.Cpu.ChargeHyp(vgic.Costs.MmioReg);
        if (hasIts) Lpis?.WriteEnableLpis(a, Frame(a), (value & CtlrEnableLpis) != 0);
    }

    private ulong ReadIidr(in MmioAccess a)
    {
        a.Cpu.ChargeHyp(vgic.Costs.MmioReg);
        return (Gicd.ProductIdKvm << 24) | (vgic.Dist.ImplementationRev << 12) | Gicd.ImplementerArm;
    }

    /// <summary>Affinity (Aff3.Aff2.Aff1.Aff0) in [63:32], Processor_Number = vCPU index, PLPIS with an ITS, and
    /// Last on the last frame of a contiguous run.</summary>
    private ulong ReadTyper(in MmioAccess a)
    {
        a.Cpu.ChargeHyp(vgic.Costs.MmioReg);
        var c = Frame(a);
        ulong mpidr = c.Vcpu.Mpidr.Value;
        ulong aff = (mpidr & 0xFF_FFFF) | ((mpidr >> 32) & 0xFF) << 24;
        ulong v = aff << 32 | ((ulong)(c.Index & 0xFFFF) << 8);
        if (hasIts) v |= TyperPlpis;
        if (RedistributorRegion.IsLast(regions, c.Index)) v |= TyperLast;
        return a.Extract64(v);
    }

    private ulong ReadIdRegs(in MmioAccess a)
    {
        a.Cpu.ChargeHyp(vgic.Costs.MmioReg);
        return a.Offset == Pidr2 ? Gicd.Pidr2Gicv3 : 0;
    }

    /// <summary>Maps the frames in use of each region (KVM registers one iodev per vCPU's frame).</summary>
    public void Map(TrapRouter router)
    {
        foreach (var r in regions)
            router.MapMmio(r.Name, r.Base, (ulong)r.Used * Gicv3Config.RedistributorStride, new Region(this, r.FirstVcpu), Placement.HostKernel);
    }

    /// <summary>The physical address of vCPU <paramref name="index"/>'s RD_base frame.</summary>
    public static ulong FrameAddress(Gicv3Config config, int index) =>
        Array.Find(RedistributorRegion.Layout(config, index + 1), r => r.Holds(index)).FrameAddress(index);

    /// <summary>One contiguous region of frames, dispatched to the frame's vCPU.</summary>
    private sealed class Region(RedistributorRegisters regs, int firstFrame) : IMmioHandler
    {
        public ulong Read(Vcpu cpu, ulong offset, int size)
        {
            cpu.ChargeHyp(regs.vgic.Costs.MmioDispatch);
            int frame = firstFrame + (int)(offset / Gicv3Config.RedistributorStride);
            uint within = (uint)(offset % Gicv3Config.RedistributorStride);
            return within < Gicv3Config.FrameSize
                ? regs.RdBase.Read(cpu, frame, within, size)
                : regs.SgiBase.Read(cpu, frame, within - Gicv3Config.FrameSize, size);
        }

        public void Write(Vcpu cpu, ulong offset, int size, ulong value)
        {
            cpu.ChargeHyp(regs.vgic.Costs.MmioDispatch);
            int frame = firstFrame + (int)(offset / Gicv3Config.RedistributorStride);
            uint within = (uint)(offset % Gicv3Config.RedistributorStride);
            if (within < Gicv3Config.FrameSize) regs.RdBase.Write(cpu, frame, within, size, value);
            else regs.SgiBase.Write(cpu, frame, within - Gicv3Config.FrameSize, size, value);
        }
    }
}

/// <summary>The LPI side of a redistributor (GICR_CTLR.EnableLPIs, PROPBASER, PENDBASER, INVLPIR, INVALLR), served by
/// the ITS emulation when the VM has one.</summary>
internal interface ILpiRedistributor
{
    void WriteEnableLpis(in MmioAccess a, VgicCpu frame, bool enable);
    ulong ReadPropBaser(in MmioAccess a);
    void WritePropBaser(in MmioAccess a, ulong value);
    ulong ReadPendBaser(in MmioAccess a);
    void WritePendBaser(in MmioAccess a, ulong value);
    void WriteInvLpi(in MmioAccess a, ulong value);
    void WriteInvAll(in MmioAccess a, ulong value);
}
