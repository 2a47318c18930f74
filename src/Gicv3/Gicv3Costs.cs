using IrqBench.Machine.Costs;

namespace IrqBench.Gicv3;

/// <summary>
/// The primitives the GICv3 model charges (profile section "gicv3"), resolved once per run. Each is one piece of
/// KVM's vgic work or one hardware access; composite figures (an IPI, a micro-benchmark) are never here.
/// </summary>
public sealed class Gicv3Costs
{
    public const string Section = "gicv3";

    public static readonly IReadOnlyList<PrimitiveSpec> Specs =
    [
        new(Section, "mmio_dispatch", "vgic MMIO dispatch of one GICD/GICR/GITS access: region table search, check_region, handler call"),
        new(Section, "mmio_reg", "a register handler's own work for a whole-register access (compose or store a value)"),
        new(Section, "mmio_per_irq", "per-INTID body of a per-IRQ register handler (vgic_get_irq, field update, vgic_put_irq), beside its irq_lock"),
        new(Section, "irq_queue", "vgic_queue_irq_unlock: target oracle, list_add_tail on the ap_list, request and kick decision (beside the locks)"),
        new(Section, "sgi_decode", "access_gic_sgi and vgic_v3_dispatch_sgi: decode ICC_SGI1R_EL1 (fixed part)"),
        new(Section, "sgi_target", "per SGI target: kvm_mpidr_to_vcpu and vgic_get_vcpu_irq"),
        new(Section, "ap_list_walk", "per ap_list entry visited by summarize_ap_list, vgic_prune_ap_list or kvm_vgic_vcpu_pending_irq"),
        new(Section, "ap_list_sort", "per comparison of vgic_irq_cmp while list_sort orders an overflowing ap_list"),
        new(Section, "lr_write", "vgic_v3_populate_lr and the MSR of one ICH_LR<n>_EL2 on entry"),
        new(Section, "lr_read", "the MRS (and clearing MSR) of one used ICH_LR<n>_EL2 on exit and vgic_v3_fold_lr"),
        new(Section, "cpuif_save", "__vgic_v3_save_state on an exit with list registers in use (fixed part: ELRSR read, ICH_HCR write); nothing when none is"),
        new(Section, "cpuif_restore", "__vgic_v3_restore_state on an entry with list registers to load (fixed part: ICH_HCR write); nothing when none is"),
        new(Section, "icv_access", "one ICC_* system-register access served by the virtual CPU interface hardware from the LRs (no trap), guest time"),
        new(Section, "icc_emulate", "one trapped ICC access emulated by KVM's EL2 fast path (__vgic_v3_perform_cpuif_access) beyond the ESR decode: VMCR read, the register's handler, write-back, skipping the instruction"),
        new(Section, "icc_emulate_lr", "per ICH_LR<n>_EL2 the fast-path emulation reads looking for the highest pending or the active list register"),
        new(Section, "iar_dsb", "the guest's dsb(sy) after reading ICC_IAR1_EL1 (gic_read_iar in Linux's arch_gicv3.h), guest time"),
        new(Section, "msi_signal", "KVM_SIGNAL_MSI / irqfd entry on the VMM's host thread before the vgic injects"),
        new(Section, "its_cmd", "vgic_its_process_commands: reading one 32-byte command from guest memory and dispatching it"),
        new(Section, "its_table_walk", "find_its_device / find_ite / vgic_its_check_id: one device, event or collection lookup with its guest-memory check"),
        new(Section, "its_cache_lookup", "the ITS translation cache lookup on the MSI fast path (vgic_its_check_cache)"),
        new(Section, "lpi_config_read", "update_lpi_config: reading one LPI property byte from guest memory and applying it"),
        new(Section, "lpi_alloc", "vgic_add_lpi: allocating an LPI, inserting it in the LPI xarray, syncing its pending bit"),
        new(Section, "v4_vsgi_send", "GICv4.1: the host making a vSGI pending (irq_set_irqchip_state → VSGI through the ITS or GICR_VSGIR)"),
        new(Section, "v4_its_cmd", "GICv4.1: the host issuing a command to the physical ITS for a forwarded vLPI (INT, CLEAR, INV, VMOVI, unmap)"),
        new(Section, "v4_delivery", "GICv4.1: latency from a vLPI/vSGI being made pending to the resident vPE's CPU interface signalling it"),
        new(Section, "v4_doorbell", "GICv4.1: what a vPE doorbell adds to the host's IRQ machinery (machine.host_irq) for a non-resident vCPU: vgic_v4_doorbell_handler before the wake-up"),
    ];

    public Gicv3Costs(CostProfile p)
    {
        MmioDispatch = p.Get(Section, "mmio_dispatch");
        MmioReg = p.Get(Section, "mmio_reg");
        MmioPerIrq = p.Get(Section, "mmio_per_irq");
        IrqQueue = p.Get(Section, "irq_queue");
        SgiDecode = p.Get(Section, "sgi_decode");
        SgiTarget = p.Get(Section, "sgi_target");
        ApListWalk = p.Get(Section, "ap_list_walk");
        ApListSort = p.Get(Section, "ap_list_sort");
        LrWrite = p.Get(Section, "lr_write");
        LrRead = p.Get(Section, "lr_read");
        CpuifSave = p.Get(Section, "cpuif_save");
        CpuifRestore = p.Get(Section, "cpuif_restore");
        IcvAccess = p.Get(Section, "icv_access");
        IccEmulate = p.Get(Section, "icc_emulate");
        IccEmulateLr = p.Get(Section, "icc_emulate_lr");
        MsiSignal = p.Get(Section, "msi_signal");
        ItsCmd = p.Get(Section, "its_cmd");
        ItsTableWalk = p.Get(Section, "its_table_walk");
        ItsCacheLookup = p.Get(Section, "its_cache_lookup");
        LpiConfigRead = p.Get(Section, "lpi_config_read");
        LpiAlloc = p.Get(Section, "lpi_alloc");
        V4VsgiSend = p.Get(Section, "v4_vsgi_send");
        V4ItsCmd = p.Get(Section, "v4_its_cmd");
        V4Delivery = p.Get(Section, "v4_delivery");
        V4Doorbell = p.Get(Section, "v4_doorbell");
    }

    public long MmioDispatch { get; }
    public long MmioReg { get; }
    public long MmioPerIrq { get; }
    public long IrqQueue { get; }
    public long SgiDecode { get; }
    public long SgiTarget { get; }
    public long ApListWalk { get; }
    public long ApListSort { get; }
    public long LrWrite { get; }
    public long LrRead { get; }
    public long CpuifSave { get; }
    public long CpuifRestore { get; }
    public long IcvAccess { get; }
    public long IccEmulate { get; }
    public long IccEmulateLr { get; }
    public long MsiSignal { get; }
    public long ItsCmd { get; }
    public long ItsTableWalk { get; }
    public long ItsCacheLookup { get; }
    public long LpiConfigRead { get; }
    public long LpiAlloc { get; }
    public long V4VsgiSend { get; }
    public long V4ItsCmd { get; }
    public long V4Delivery { get; }
    public long V4Doorbell { get; }
}
