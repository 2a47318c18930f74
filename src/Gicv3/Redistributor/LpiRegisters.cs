using IrqBench.Gicv3.Its;
using IrqBench.Gicv3.Registers;
using IrqBench.Gicv3.Vgic;

namespace IrqBench.Gicv3.Redistributor;

/// <summary>
/// The LPI registers of the redistributors when the VM has an ITS (KVM's vgic-mmio-v3.c): GICR_CTLR.EnableLPIs,
/// PROPBASER (one for the whole VM: CommonLPIAff = 0), PENDBASER, and the direct invalidation registers of
/// implementation revision 3 (GICR_INVLPIR, GICR_INVALLR).
/// </summary>
internal sealed class LpiRegisters(KvmVgic vgic, VgicIts its) : ILpiRedistributor
{
    /// <summary>GICR_PROPBASER: IDbits [4:0], InnerCache [9:7], Shareability [11:10], PA [51:12], OuterCache
    /// [58:56]; GICR_PENDBASER: InnerCache, Shareability, PA [51:16], OuterCache, PTZ [62].</summary>
    private const ulong PropBaserMask = 0x070F_FFFF_FFFF_FF9F, PendBaserMask = 0x470F_FFFF_FFFF_0F80;

    private VgicCpu Frame(in MmioAccess a) => vgic.Cpus[a.Frame];

    /// <summary>vgic_mmio_write_v3r_ctlr: 0 → 1 imports the pending table (unless PTZ said it is zero); 1 → 0 takes the
    /// redistributor's LPIs off its ap_list and invalidates the translation cache.</summary>
    public void WriteEnableLpis(in MmioAccess a, VgicCpu frame, bool enable)
    {
        if (enable == frame.EnableLpis) return;
        if (!enable)
        {
            vgic.FlushPendingLpis(a.Cpu, frame);
            its.InvalidateCache();
            frame.EnableLpis = false;
            return;
        }
        frame.EnableLpis = true;
        if ((frame.PendBaser & KvmVgic.PendBaserPtz) == 0) vgic.SyncPendingTable(a.Cpu, frame);
    }

    public ulong ReadPropBaser(in MmioAccess a)
    {
        a.Cpu.ChargeHyp(vgic.Costs.MmioReg);
        return a.Extract64(vgic.Dist.PropBaser);
    }

    /// <summary>"Storing a value with LPIs already enabled is undefined": ignored then; otherwise stored as
    /// vgic_sanitise_propbaser leaves it (KVM's memory attributes, RES0 cleared).</summary>
    public void WritePropBaser(in MmioAccess a, ulong value)
    {
        a.Cpu.ChargeHyp(vgic.Costs.MmioReg);
        if (Frame(a).EnableLpis) return;
        vgic.Dist.PropBaser = BaserAttributes.Redistributor.Sanitise(a.Update64(vgic.Dist.PropBaser, value)) & PropBaserMask;
    }

    /// <summary>PTZ reads as zero.</summary>
    public ulong ReadPendBaser(in MmioAccess a)
    {
        a.Cpu.ChargeHyp(vgic.Costs.MmioReg);
        return a.Extract64(Frame(a).PendBaser & ~KvmVgic.PendBaserPtz);
    }

    /// <summary>As PROPBASER (vgic_sanitise_pendbaser).</summary>
    public void WritePendBaser(in MmioAccess a, ulong value)
    {
        a.Cpu.ChargeHyp(vgic.Costs.MmioReg);
        var f = Frame(a);
        if (f.EnableLpis) return;
        f.PendBaser = BaserAttributes.Redistributor.Sanitise(a.Update64(f.PendBaser, value)) & PendBaserMask;
    }

    /// <summary>vgic_mmio_write_invlpi: re-read one LPI's configuration.</summary>
    public void WriteInvLpi(in MmioAccess a, ulong value)
    {
        a.Cpu.ChargeHyp(vgic.Costs.MmioReg);
        var f = Frame(a);
        uint intid = (uint)value;
        if (!f.EnableLpis || intid < KvmVgic.FirstLpi || vgic.GetIrq(f, intid) is not { } irq) return;
        vgic.UpdateLpiConfig(a.Cpu, irq, f);
    }

    /// <summary>vgic_mmio_write_invall: re-read the configuration of every LPI aimed at this redistributor.</summary>
    public void WriteInvAll(in MmioAccess a, ulong value)
    {
        a.Cpu.ChargeHyp(vgic.Costs.MmioReg);
        var f = Frame(a);
        if (f.EnableLpis) vgic.InvallLpis(a.Cpu, f);
    }
}
