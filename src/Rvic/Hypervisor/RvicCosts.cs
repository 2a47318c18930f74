using IrqBench.Machine.Costs;

namespace IrqBench.Rvic.Hypervisor;

/// <summary>
/// The rVIC/rVID handlers' own work (section "rvic"). The machine already charges the HVC exit and entry path and the
/// SMCCC dispatch; these are the steps of KVM's rvic-cpu.c on top (rvic.md §6), read once per run.
/// </summary>
public sealed class RvicCosts
{
    public const string Section = "rvic";

    public static readonly IReadOnlyList<PrimitiveSpec> Specs =
    [
        new(Section, "call_decode", "rVIC/rVID handler entry: function table lookup and argument range checks (validate_rvic_call)"),
        new(Section, "mpidr_compare", "kvm_mpidr_to_vcpu's linear scan: one vCPU's MPIDR compared (charged per vCPU scanned)"),
        new(Section, "instance_update", "one rVIC instance change under its lock: pending/masked bits, delivery-list insert or removal, can-signal recompute"),
        new(Section, "vi_sync", "__rvic_sync_hcr / rvic_flush_signaling_state: recompute can-signal and write HCR_EL2.VI"),
        new(Section, "rvid_update", "rvid_map access under the VM-wide rVID lock: a MAP/UNMAP store or an input lookup"),
        new(Section, "input_inject", "the host's injection entry for an rVID input (irqfd / KVM_IRQ_LINE to rvic_set_irq_inatomic), before the lookup"),
        new(Section, "timer_line_read", "RESAMPLE of the virtual timer: kvm_arch_timer_get_input_level reads the timer's level"),
        new(Section, "timer_deactivate", "RESAMPLE found the timer low: irq_set_irqchip_state clears the host timer IRQ's active state"),
        new(Section, "pkvm_host_call", "the untrusted host's hypercall into the trusted EL2 to assert an rVID input", Organisation.Pkvm),
        // Charged only by the variants (rvic.md §12, §14); in the one section all rVIC kits share.
        new(Section, "priority_compare", "rvic-prio: one delivery-list entry's priority compared when ACKNOWLEDGE picks the highest-priority INTID"),
        new(Section, "msi_frame_write", "rvic-msi: a guest write to the MSI frame's SETINPUT register decoded in the kernel (offset, width, data window), before the rVID lookup"),
    ];

    public RvicCosts(CostProfile p)
    {
        CallDecode = p.Get(Section, "call_decode");
        MpidrCompare = p.Get(Section, "mpidr_compare");
        InstanceUpdate = p.Get(Section, "instance_update");
        ViSync = p.Get(Section, "vi_sync");
        RvidUpdate = p.Get(Section, "rvid_update");
        InputInject = p.Get(Section, "input_inject");
        TimerLineRead = p.Get(Section, "timer_line_read");
        TimerDeactivate = p.Get(Section, "timer_deactivate");
        PkvmHostCall = p.Organisation == Organisation.Pkvm ? p.Get(Section, "pkvm_host_call") : 0;
        PriorityCompare = p.Get(Section, "priority_compare");
        MsiFrameWrite = p.Get(Section, "msi_frame_write");
    }

    public long CallDecode { get; }
    public long MpidrCompare { get; }
    public long InstanceUpdate { get; }
    public long ViSync { get; }
    public long RvidUpdate { get; }
    public long InputInject { get; }
    public long TimerLineRead { get; }
    public long TimerDeactivate { get; }
    public long PkvmHostCall { get; }
    public long PriorityCompare { get; }
    public long MsiFrameWrite { get; }
}
