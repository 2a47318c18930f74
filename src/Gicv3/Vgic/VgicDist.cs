using IrqBench.Machine.Locks;

namespace IrqBench.Gicv3.Vgic;

/// <summary>KVM's struct vgic_dist: the distributor state of the VM — its enable, the SPIs, the LPI property table
/// base, and the GICv4.1 and v6.19 bookkeeping.</summary>
internal sealed class VgicDist
{
    public VgicDist(KvmVgic vgic, int nrSpis)
    {
        NrSpis = nrSpis;
        Spis = new VgicIrq[nrSpis];
        // kvm_vgic_dist_init: kcalloc'ed SPIs are edge (VGIC_CONFIG_EDGE = 0), disabled, priority 0, group 1 for a
        // GICv3 guest, routed to vCPU0 (DECISIONS.md: SPI reset trigger mode).
        for (int i = 0; i < nrSpis; i++)
            Spis[i] = new VgicIrq(vgic, (uint)(32 + i), null) { Group = 1, TargetVcpu = vgic.Cpus[0] };
        ConfigLock = vgic.Vm.Locks.Get("config_lock");
    }

    /// <summary>GICD_CTLR.EnableGrp1 (the only enable KVM stores).</summary>
    public bool Enabled;
    public int NrSpis { get; }
    public uint NrIrqs => (uint)(NrSpis + 32);
    public VgicIrq[] Spis { get; }

    /// <summary>GICD_IIDR.Revision: KVM_VGIC_IMP_REV_3 (guest-configurable groups; GICR_CTLR.{IW,CES,RWP}).</summary>
    public uint ImplementationRev = 3;

    /// <summary>GICD_CTLR.nASSGIreq (GICv4.1 vSGIs without active state).</summary>
    public bool NassgiReq;

    /// <summary>GICR_PROPBASER, shared by every redistributor in KVM (CommonLPIAff = 0).</summary>
    public ulong PropBaser;

    /// <summary>v6.19's active_spis: SPIs queued since the count was last zero (decremented only on the EOI
    /// maintenance of a level SPI).</summary>
    public int ActiveSpis;

    public Machine.Locks.ModelLock ConfigLock { get; }
}
