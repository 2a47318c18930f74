using IrqBench.Machine.Metrics;
using IrqBench.Machine.Locks;
using IrqBench.Gicv3.Trust;

namespace IrqBench.Gicv3.Vgic;

/// <summary>
/// KVM's struct vgic_irq: everything about one virtual interrupt — its configuration, its pending and active state
/// as software sees it, where it should go (<see cref="TargetVcpu"/>) and whose ap_list holds it (<see cref="Vcpu"/>).
/// Private interrupts exist per vCPU, SPIs once per VM, LPIs while the ITS maps them.
/// </summary>
internal sealed class VgicIrq
{
    [ModelOnly("back reference")] private readonly KvmVgic vgic;
    private ModelLock? irqLock;

    public VgicIrq(KvmVgic vgic, uint intid, VgicCpu? owner)
    {
        this.vgic = vgic;
        IntId = intid;
        Owner = owner;
    }

    public uint IntId { get; }

    /// <summary>How a trace names this interrupt's list-register writes (made once, not per write).</summary>
    internal string TraceLrLabel => traceLrLabel ??= $"LR write INTID {IntId}";
    [ModelOnly("trace label")] private string? traceLrLabel;

    /// <summary>The vCPU a private interrupt belongs to (null for SPIs and LPIs).</summary>
    [field: ModelOnly("the model's index of the private interrupts; KVM finds them through the vCPU")] public VgicCpu? Owner { get; }

    // configuration
    public bool Enabled;
    public bool Level;           // VGIC_CONFIG_LEVEL (else edge)
    public byte Priority;
    public byte Group;
    public ulong Mpidr;          // GICD_IROUTER as KVM keeps it: Aff2..Aff0

    // state
    public bool PendingLatch;    // edge pending, or a level interrupt made pending through ISPENDR
    public bool LineLevel;       // the input line of a level interrupt
    public bool Active;

    /// <summary>Where the interrupt should be delivered (IROUTER target, ITS collection, the private owner).</summary>
    public VgicCpu? TargetVcpu;

    /// <summary>The vCPU whose ap_list holds it, or null.</summary>
    public VgicCpu? Vcpu;

    /// <summary>In a list register of <see cref="Vcpu"/> right now (KVM v6.19's irq->on_lr).</summary>
    public bool OnLr;

    // hardware mapping (kvm_vgic_map_phys_irq): the virtual timer
    public bool Hw;
    public uint HwIntId;
    public Func<bool>? InputLevel;  // irq_ops.get_input_level
    [ModelOnly("the physical GIC's state")] public bool PhysActive; // the physical interrupt's active state in the host GIC

    // ap_list links (intrusive: no allocation to queue)
    internal VgicIrq? Prev; // the ap_list node
    [ModelOnly("the same ap_list node")] internal VgicIrq? Next;
    [ModelOnly("the same ap_list node")] internal ApList? List;

    /// <summary>Where and when it last became pending (for the raised → acknowledged latency and its stages).</summary>
    [ModelOnly("latency metrics")] public IrqOrigin Origin;

    /// <summary>When it was last injected: its list register written, or (GICv4.1) the hardware signalling it.</summary>
    [ModelOnly("latency metrics")] public long InjectedAt = long.MinValue;

    /// <summary>LPIs: how many ITEs map to it, and whether any still does.</summary>
    public int LpiRefs;
    public bool Mapped = true;

    /// <summary>GICv4.1: delivered by the hardware from the vPE's virtual pending table (a forwarded vLPI, or a vSGI
    /// with GICD_CTLR.nASSGIreq), never through the ap_list and the list registers.</summary>
    public bool DirectInjection;

    /// <summary>GICv4.1: pending in the target vPE's virtual pending table.</summary>
    [ModelOnly("the vPE's virtual pending table, hardware state")] public bool DirectPending;

    public bool IsSgi => IntId < 16;
    public bool IsPrivate => IntId < 32;
    public bool IsSpi => IntId >= 32 && IntId < 1020;
    public bool IsLpi => IntId >= 8192;

    /// <summary>irq_is_pending: the latch, or for a level interrupt the line.</summary>
    public bool IsPending => PendingLatch || (Level && LineLevel);

    /// <summary>vgic_irq_is_mapped_level: HW-mapped and level-triggered.</summary>
    public bool IsMappedLevel => Hw && Level;

    /// <summary>The irq_lock, created on first use (most interrupts of a large VM are never touched).</summary>
    public ModelLock Lock => irqLock ??= vgic.Vm.Locks.Get("irq_lock", (int)(Owner is null ? IntId : (uint)Owner.Index << 16 | IntId));

    public override string ToString() => Owner is null ? $"INTID {IntId}" : $"INTID {IntId} of vcpu{Owner.Index}";
}
