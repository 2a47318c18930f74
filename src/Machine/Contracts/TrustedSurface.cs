namespace IrqBench.Machine.Contracts;

/// <summary>
/// What the trusted part of a hypervisor organisation must implement for one design, counted from the model's own
/// tables (register descriptors, hypercall tables, command tables, state fields, trap placements), never typed in.
/// Under VHE and nVHE the whole host is trusted; under pKVM only what runs at EL2.
/// </summary>
public sealed record TrustedSurface(
    string Design,
    string Organisation,
    int GuestRegisters,
    int Hypercalls,
    int ItsCommands,
    int PerVcpuStateFields,
    int PerVmStateFields,
    int ExitKindsHandledTrusted,
    int ExitKindsForwarded,
    string Notes);
