using IrqBench.Machine.Vcpus;

namespace IrqBench.Rvic.Hypervisor;

/// <summary>
/// What the host side can ask of the rVIC/rVID (rvic.md §6.9, §16). Under vhe and nvhe the host kernel holds every
/// instance and the rVID in its own memory, so each of these is a function it can simply run. Under pkvm they live in
/// the trusted EL2, and the host has only the calls EL2 serves for it: asserting an rVID input (and, with level
/// inputs, setting an input's line). Anything else it tries is a host call EL2 does not implement.
/// </summary>
public enum RvicHostOp
{
    /// <summary>An edge on rVID input A (irqfd, KVM_IRQ_LINE, an MSI): routed as the guest mapped it, or dropped.</summary>
    AssertInput,
    /// <summary>rVID input A's line goes to level B (0 or 1) (rvic-level, rvic.md §13).</summary>
    SetInputLevel,
    /// <summary>vCPU A's INTID B becomes pending (KVM rvic_vcpu_inject_irq with level high).</summary>
    Pend,
    /// <summary>vCPU A's INTID B: line level high recorded, then pending (kvm irqchip_inject_irq, as the timer does).</summary>
    RaiseLine,
    /// <summary>vCPU A's INTID B stops being pending.</summary>
    ClearPending,
    /// <summary>vCPU A's INTID B is masked.</summary>
    SetMasked,
    /// <summary>vCPU A's INTID B is unmasked.</summary>
    ClearMasked,
    /// <summary>rVID input A is routed to vCPU B's INTID C (what the guest's MAP does).</summary>
    Map,
}

/// <summary>A host operation's arguments, as <see cref="RvicHostOp"/> names them.</summary>
public readonly record struct HostArgs(ulong A = 0, ulong B = 0, ulong C = 0);

/// <summary>One host operation; returns whether it was carried out.</summary>
public delegate bool HostFunction(ExecContext from, in HostArgs args);
