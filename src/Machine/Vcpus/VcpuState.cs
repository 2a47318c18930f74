namespace IrqBench.Machine.Vcpus;

/// <summary>The states of DESIGN §4.</summary>
public enum VcpuState
{
    /// <summary>Running guest code (a work segment, a spin loop, or an interrupt handler).</summary>
    RunningGuest,
    /// <summary>In the hypervisor, busy until the handler is done (only observable inside a burst).</summary>
    InHypervisor,
    /// <summary>WFI trapped: halt-polling, then descheduled by the host until woken.</summary>
    Halted,
    /// <summary>The guest program is finished with this vCPU.</summary>
    Stopped,
}

/// <summary>Why the guest left for the hypervisor.</summary>
public enum ExitReason { Hvc, Mmio, Sysreg, Wfi, Kick, Maintenance, Timer }
