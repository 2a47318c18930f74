namespace IrqBench.Machine.Metrics;

/// <summary>
/// Where and when an interrupt was raised: the start of the operation that raised it (a vCPU's trapped SGI1R write or
/// SIGNAL hypercall from its trap, the VMM's MSI from the host thread, the timer's expiry), on which CPU, and the
/// trace flow that leads from there to the handler (0 without tracing). A controller keeps one per pending interrupt
/// and hands it back at delivery (<see cref="VirtualMachine.Deliver"/>).
/// </summary>
public readonly record struct IrqOrigin(long At, int SourceCpu, long Flow);
