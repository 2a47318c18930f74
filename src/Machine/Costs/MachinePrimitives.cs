using static IrqBench.Machine.Costs.Organisation;

namespace IrqBench.Machine.Costs;

/// <summary>The primitives the machine itself charges (section "machine"), resolved once per run.</summary>
public sealed class MachinePrimitives
{
    public const string Section = "machine";

    public static readonly IReadOnlyList<PrimitiveSpec> Specs =
    [
        new(Section, "exception_roundtrip", "hardware exception from the guest into EL2 and the ERET back"),
        new(Section, "vcpu_exit_save", "KVM run-loop exit: save guest context, reach the exit handler"),
        new(Section, "vcpu_entry_restore", "KVM run-loop entry: restore guest context, check requests, ERET"),
        new(Section, "world_switch", "one EL2<->host-EL1 switch of a split-mode hypervisor (charged twice per host round trip)", Nvhe, Pkvm),
        new(Section, "hyp_fast_path", "an exit handled entirely at EL2 without reaching the host's run loop: a split-mode hyp's own handler, or under VHE fixup_guest_exit in __kvm_vcpu_run_vhe's loop (no vcpu exit/entry, no vgic/timer sync and flush)"),
        new(Section, "pkvm_forward", "pKVM copying exit state to the untrusted host's view of the vCPU and back", Pkvm),
        new(Section, "smccc_dispatch", "KVM's HVC handler: decode the SMCCC function ID and dispatch (or return NOT_SUPPORTED)"),
        new(Section, "mmio_abort_decode", "stage-2 data abort: ESR decode and kvm_io_bus lookup of the faulting IPA"),
        new(Section, "user_exit", "KVM_RUN returning to the VMM in user space and the ioctl re-entering"),
        new(Section, "vmm_mmio_handler", "the VMM's emulation of one device register access"),
        new(Section, "sysreg_trap_decode", "decode of a trapped system-register access (ESR ISS) and table lookup"),
        new(Section, "wfi_handler", "kvm_handle_wfx: decide to block, prepare the vCPU for halting"),
        new(Section, "kick_send", "the sender's side of kvm_vcpu_kick: the mode cmpxchg and smp_send_reschedule writing ICC_SGI1R_EL1 with its barriers (or, for a blocked vCPU, the rcuwait wake-up)"),
        new(Section, "kick_ipi", "physical IPI from one pCPU to another: from the sender's SGI write to the target taking the IRQ"),
        new(Section, "host_irq", "the host's IRQ machinery for any physical IRQ that makes a running vCPU exit (kick IPI, maintenance, doorbell, timer): vector, gic_handle_irq's IAR/EOIR, irq_enter/irq_exit, dispatch"),
        new(Section, "vtimer_handler", "what the virtual timer's PPI adds to host_irq: kvm_arch_timer_handler and kvm_timer_update_irq, before the controller injects"),
        new(Section, "line_transfer", "one cache line moving from the core that last wrote it to another (one-way core-to-core latency): a lock last held elsewhere, vcpu->requests, a polled flag"),
        new(Section, "halt_poll_window", "the most KVM polls a halted vCPU before its thread sleeps (max_halt_poll_ns); the window itself adapts, see HaltPolling"),
        new(Section, "halt_poll_wake", "resuming a vCPU whose pending interrupt was seen while halt-polling"),
        new(Section, "host_wakeup", "host scheduler waking a sleeping vCPU thread and switching to it"),
        new(Section, "vcpu_load", "vcpu_load after a sleep: timer, vgic/rVIC and sysreg state back onto the pCPU"),
        new(Section, "lock_uncontended", "acquire and release of an uncontended host spinlock"),
        new(Section, "guest_irq_exception", "guest IRQ exception: vector entry, register save, and the return"),
    ];

    public MachinePrimitives(CostProfile p)
    {
        Organisation = p.Organisation;
        ExceptionRoundtrip = p.Get(Section, "exception_roundtrip");
        VcpuExitSave = p.Get(Section, "vcpu_exit_save");
        VcpuEntryRestore = p.Get(Section, "vcpu_entry_restore");
        WorldSwitch = p.Organisation == Vhe ? 0 : p.Get(Section, "world_switch");
        HypFastPath = p.Get(Section, "hyp_fast_path");
        PkvmForward = p.Organisation == Pkvm ? p.Get(Section, "pkvm_forward") : 0;
        SmcccDispatch = p.Get(Section, "smccc_dispatch");
        MmioAbortDecode = p.Get(Section, "mmio_abort_decode");
        UserExit = p.Get(Section, "user_exit");
        VmmMmioHandler = p.Get(Section, "vmm_mmio_handler");
        SysregTrapDecode = p.Get(Section, "sysreg_trap_decode");
        WfiHandler = p.Get(Section, "wfi_handler");
        KickSend = p.Get(Section, "kick_send");
        KickIpi = p.Get(Section, "kick_ipi");
        LineTransfer = p.Get(Section, "line_transfer");
        HostIrq = p.Get(Section, "host_irq");
        VtimerHandler = p.Get(Section, "vtimer_handler");
        HaltPollWindow = p.Get(Section, "halt_poll_window");
        HaltPollWake = p.Get(Section, "halt_poll_wake");
        HostWakeup = p.Get(Section, "host_wakeup");
        VcpuLoad = p.Get(Section, "vcpu_load");
        LockUncontended = p.Get(Section, "lock_uncontended");
        GuestIrqException = p.Get(Section, "guest_irq_exception");
        HaltPollGrowStart = p.NsToCycles(Vcpus.HaltPolling.GrowStartNs);
    }

    public Organisation Organisation { get; }
    public long ExceptionRoundtrip { get; }
    public long VcpuExitSave { get; }
    public long VcpuEntryRestore { get; }
    public long WorldSwitch { get; }
    public long HypFastPath { get; }
    public long PkvmForward { get; }
    public long SmcccDispatch { get; }
    public long MmioAbortDecode { get; }
    public long UserExit { get; }
    public long VmmMmioHandler { get; }
    public long SysregTrapDecode { get; }
    public long WfiHandler { get; }
    public long KickSend { get; }
    public long KickIpi { get; }
    public long LineTransfer { get; }
    public long HostIrq { get; }
    public long VtimerHandler { get; }
    public long HaltPollWindow { get; }
    public long HaltPollWake { get; }
    public long HostWakeup { get; }
    public long VcpuLoad { get; }
    public long LockUncontended { get; }
    public long GuestIrqException { get; }

    /// <summary>KVM's halt_poll_ns_grow_start (10 µs) in this profile's cycles.</summary>
    public long HaltPollGrowStart { get; }

    /// <summary>
    /// Whether an exit handled at <paramref name="placement"/> reaches the host kernel's run loop (and so runs the
    /// controllers' fold/flush work). An EL2-placed handler returns straight to the guest under every organisation:
    /// under nVHE and pKVM it is the hyp's own handler; under VHE, where the host kernel itself runs at EL2, it is the
    /// exit fast path (fixup_guest_exit, e.g. kvm_hyp_handle_sysreg → __vgic_v3_perform_cpuif_access) that loops
    /// back into the guest inside __kvm_vcpu_run_vhe without returning to kvm_arch_vcpu_ioctl_run.
    /// </summary>
    public bool ReachesHost(Placement placement) => placement != Placement.El2;

    /// <summary>The cycles of the way out of the guest to a handler at <paramref name="placement"/> (before the
    /// handler's own work).</summary>
    public long ExitPath(Placement placement) => Organisation switch
    {
        _ when placement == Placement.El2 => ExceptionRoundtrip + HypFastPath,
        Vhe => ExceptionRoundtrip + VcpuExitSave + (placement == Placement.VmmUser ? UserExit : 0),
        Nvhe => ExceptionRoundtrip + VcpuExitSave + WorldSwitch + (placement == Placement.VmmUser ? UserExit : 0),
        _ => ExceptionRoundtrip + VcpuExitSave + WorldSwitch + PkvmForward + (placement == Placement.VmmUser ? UserExit : 0),
    };

    /// <summary>The cycles of the way back into the guest from a handler at <paramref name="placement"/>.</summary>
    public long EntryPath(Placement placement) => ReachesHost(placement)
        ? VcpuEntryRestore + (Organisation == Vhe ? 0 : WorldSwitch)
        : 0;
}
