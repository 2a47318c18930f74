using IrqBench.Machine.Costs;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Machine.Contracts;

/// <summary>
/// One test of the kvm-unit-tests <c>arm/micro-bench</c> shape (costs.md §2): a 2-vCPU guest where vCPU0 performs the
/// operation <see cref="Iterations"/> times and vCPU1 spins with IRQs unmasked. Controller-specific tests live with
/// their controller (mmio_read_vgic needs a GICD); the runner lives in Workloads.
/// </summary>
public interface IMicroBenchmark
{
    string Name { get; }
    int Iterations { get; }

    /// <summary>Null when the test can run on this controller; otherwise why it is skipped (as kvm-unit-tests reports
    /// ipi_hw without GICv4.1).</summary>
    string? SkipReason { get; }

    /// <summary>Set-up on vCPU0 after the irqchip is initialised (devices, mappings), untimed.</summary>
    void Prepare(MicroBenchContext ctx, Vcpu cpu0);

    /// <summary>One operation on vCPU0. Returns the flag to spin on until the operation completed elsewhere (the
    /// handler ran), or null when the operation is complete on return.</summary>
    GuestFlag? Execute(MicroBenchContext ctx, Vcpu cpu0);

    /// <summary>Time per operation that is part of the test's set-up, not of what it measures (timer_10ms subtracts
    /// its 10 ms).</summary>
    long FixedDelayCycles(CostProfile profile) => 0;
}

/// <summary>What a micro-benchmark can reach: the VM, the guest irqchip driver, and the flag the IRQ handlers set.</summary>
public sealed class MicroBenchContext(VirtualMachine vm, IGuestIrqChip chip)
{
    public VirtualMachine Vm { get; } = vm;
    public IGuestIrqChip Chip { get; } = chip;

    /// <summary>Set by the guest's handlers (on whichever vCPU took the interrupt) when an IPI, timer or device
    /// interrupt was handled.</summary>
    public GuestFlag Handled { get; } = new();

    /// <summary>A device interrupt a test set up in <see cref="IMicroBenchmark.Prepare"/>.</summary>
    public DeviceIrq? Device { get; set; }
}
