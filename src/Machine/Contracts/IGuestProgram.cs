using IrqBench.Machine.Vcpus;

namespace IrqBench.Machine.Contracts;

/// <summary>
/// Guest software on one vCPU: the guest kernel of a workload, or a micro-benchmark loop. The vCPU calls it, and
/// each call must choose the vCPU's next activity — <see cref="Vcpu.RunWork"/>, <see cref="Vcpu.SpinUntil"/>,
/// <see cref="Vcpu.WaitForInterrupt"/> or <see cref="Vcpu.Stop"/> — after any number of accesses.
/// </summary>
public interface IGuestProgram
{
    /// <summary>First step after the vCPU comes up.</summary>
    void Start(Vcpu cpu);

    /// <summary>The previous activity is over: the work segment is done, the flag was seen, or WFI returned (after
    /// the interrupt that ended it was handled).</summary>
    void Resume(Vcpu cpu);

    /// <summary>The IRQ exception: IRQs are masked during the call and unmasked when it returns. Must not choose an
    /// activity; handler work is <see cref="Vcpu.Compute"/>.</summary>
    void OnIrq(Vcpu cpu);
}
