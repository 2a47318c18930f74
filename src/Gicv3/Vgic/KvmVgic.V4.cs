namespace IrqBench.Gicv3.Vgic;

internal sealed partial class KvmVgic
{
    /// <summary>vgic_v4_configure_vsgis: GICD_CTLR.nASSGIreq switches the SGIs between software and GICv4.1 hardware
    /// vSGIs (GICv4.1 only).</summary>
    public void ConfigureVsgis(VgicCpu caller, bool enable) => Dist.NassgiReq = enable;
}
