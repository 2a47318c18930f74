namespace IrqBench.Machine.Contracts;

/// <summary>The arm64 IPIs (arch/arm64/kernel/smp.c, enum ipi_msg_type), numbered as Linux numbers them; with
/// IPI-as-IRQ each is one SGI (GICv3) or one of INTIDs 0–15 (rVIC).</summary>
public enum IpiKind
{
    Reschedule = 0,
    CallFunction = 1,
    CpuStop = 2,
    CpuCrashStop = 3,
    Timer = 4,
    IrqWork = 5,
    Wakeup = 6,
}
