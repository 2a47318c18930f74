using IrqBench.Gicv3.CpuInterface;
using IrqBench.Machine.Locks;
using IrqBench.Machine.Vcpus;
using IrqBench.Gicv3.Trust;

namespace IrqBench.Gicv3.Vgic;

/// <summary>
/// KVM's struct vgic_cpu for one vCPU: its SGIs and PPIs, its ap_list (and v6.19's overflow list) under the
/// ap_list_lock, the virtual CPU interface hardware it runs on, and its redistributor's state.
/// </summary>
internal sealed class VgicCpu : IPhysicalDeactivation, IVirtualPendingTable
{
    public VgicCpu(KvmVgic vgic, Vcpu vcpu, Gicv3Config config)
    {
        Vgic = vgic;
        Vcpu = vcpu;
        Cpuif = new VirtualCpuInterface(config.ListRegisters, config.PriorityBits, config.HasTdir) { Physical = this, Direct = this };
        ApListLock = vgic.Vm.Locks.Get("ap_list_lock", vcpu.Id.Value);
        Private = new VgicIrq[32];
        for (uint i = 0; i < 32; i++)
        {
            // kvm_vgic_vcpu_init / vgic_allocate_private_irqs: SGIs enabled and edge, PPIs disabled and level,
            // group 1 for a GICv3 guest, targeting the owner.
            Private[i] = new VgicIrq(vgic, i, this)
            {
                Enabled = i < 16,
                Level = i >= 16,
                Group = 1,
                TargetVcpu = this,
                Mpidr = vcpu.Mpidr.Value,
            };
        }
        SortScratch = new VgicIrq[16];
    }

    [field: ModelOnly("back reference")] public KvmVgic Vgic { get; }
    [field: ModelOnly("back reference")] public Vcpu Vcpu { get; }
    public int Index => Vcpu.Id.Value;
    [field: ModelOnly("vgic_v3_cpu_if, counted with VirtualCpuInterface")] public VirtualCpuInterface Cpuif { get; }
    public VgicIrq[] Private { get; }

    public ApList ApList { get; } = new();

    /// <summary>v6.19: the part of the ap_list that did not fit in the LRs at the last entry.</summary>
    public ApList Overflow { get; } = new();
    public ModelLock ApListLock { get; }

    /// <summary>ICH_LR slots written at the last entry (vgic_v3_cpu_if.used_lrs).</summary>
    [El2State] public int UsedLrs;

    /// <summary>Entered with LRs flushed and not yet folded back.</summary>
    [ModelOnly("the model's own bookkeeping of a flush not yet folded")] public bool Loaded;

    /// <summary>A maintenance interrupt was raised since the last entry (it is level; the exit it causes clears it).</summary>
    [ModelOnly("the model's once-per-entry maintenance latch")] public bool MaintenancePending;

    /// <summary>KVM_REQ_VGIC_PROCESS_UPDATE: prune before the next entry (after a trapped DIR deactivated an
    /// interrupt outside the LRs).</summary>
    public bool PruneRequested;

    // redistributor state (RD_base)
    public bool EnableLpis;
    public ulong PendBaser;

    /// <summary>Room to sort the ap_list without allocating; grows with the longest list seen.</summary>
    [ModelOnly("scratch")] public VgicIrq[] SortScratch;

    /// <summary>GICv4.1: the vPE's virtual pending table (forwarded vLPIs and vSGIs aimed at this vCPU).</summary>
    public List<VgicIrq> Vpt { get; } = new(8);

    public bool HasDirectPending
    {
        get
        {
            foreach (var irq in Vpt) if (irq.Enabled) return true;
            return false;
        }
    }

    public void Deactivate(uint pintid) => Vgic.PhysicalDeactivate(this, pintid);

    /// <summary>The redistributor's highest-priority enabled vLPI/vSGI for this vPE (lowest INTID on ties).</summary>
    public bool Highest(out uint intid, out byte priority)
    {
        intid = 0;
        priority = 0xFF;
        bool found = false;
        foreach (var irq in Vpt)
        {
            if (!irq.Enabled) continue;
            if (!found || irq.Priority < priority || (irq.Priority == priority && irq.IntId < intid))
            {
                intid = irq.IntId;
                priority = irq.Priority;
                found = true;
            }
        }
        return found;
    }

    /// <summary>The CPU interface took it: it leaves the table (a vLPI or vSGI has no active state to keep).</summary>
    public void Acknowledge(uint intid)
    {
        for (int i = 0; i < Vpt.Count; i++)
        {
            if (Vpt[i].IntId != intid) continue;
            Vpt[i].DirectPending = false;
            Vpt.RemoveAt(i);
            return;
        }
    }

    public override string ToString() => $"vgic_cpu{Index}";
}
