namespace IrqBench.Machine.Vcpus;

/// <summary>What a vCPU's cycle was spent on (DESIGN §4): guest code (work, spinning, handlers, accesses the hardware
/// serves), the hypervisor (exit and entry paths, handlers, lock waits, stop-the-world), or idle (halted in the host,
/// including halt-polling). Every cycle of a vCPU's timeline is exactly one of them.</summary>
public enum TimeClass { Guest, Hyp, Idle }
