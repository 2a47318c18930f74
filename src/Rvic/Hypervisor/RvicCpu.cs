using IrqBench.Machine.Locks;
using IrqBench.Rvic.Instance;

namespace IrqBench.Rvic.Hypervisor;

/// <summary>The hypervisor's per-vCPU rVIC state (KVM's struct rvic in kvm_vcpu_arch, rvic.md §6.2): the instance, its
/// lock, and the vCPU's saved HCR_EL2.VI as last synchronised.</summary>
internal sealed class RvicCpu(RvicInstance instance, ModelLock lockObj)
{
    public RvicInstance Instance { get; } = instance;
    public ModelLock Lock { get; } = lockObj;

    /// <summary>HCR_EL2.VI: what the guest sees until the next sync (rvic.md §3.7).</summary>
    public bool Vi { get; set; }

    /// <summary>When a sync last raised VI (the injection, for the latency stages).</summary>
    [field: ModelBookkeeping] public long ViSetAt { get; set; } = long.MinValue;
}
