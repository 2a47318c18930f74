using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Traps;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Workloads.MicroBench;

/// <summary>
/// <c>hvc</c> (kvm-unit-tests' hyp_call): HVC #0 with w0 = 0x4b000000, a function ID nobody implements (bit 31 clear:
/// not even a fast call), so KVM's SMCCC handler returns NOT_SUPPORTED. The null hypercall round trip.
/// </summary>
public sealed class HvcTest : IMicroBenchmark
{
    public const uint NullFunctionId = 0x4b00_0000;

    public string Name => "hvc";
    public int Iterations => 65536;
    public string? SkipReason => null;
    public void Prepare(MicroBenchContext ctx, Vcpu cpu0) { }

    public GuestFlag? Execute(MicroBenchContext ctx, Vcpu cpu0)
    {
        var r = cpu0.Hvc(new HvcArgs(NullFunctionId));
        if (r.X0 != Smccc.NotSupported)
            throw new InvalidOperationException($"hvc: function 0x{NullFunctionId:X8} returned 0x{r.X0:X}, expected NOT_SUPPORTED");
        return null;
    }
}

/// <summary>
/// <c>mmio_read_user</c>: a 32-bit read of a virtio-mmio register that the VMM emulates in user space (QEMU's
/// virtio-mmio at 0x0a000000, offset 8: DeviceID). Data abort → KVM → exit to user space → re-entry.
/// </summary>
public sealed class MmioReadUserTest : IMicroBenchmark
{
    public const ulong VirtioMmioBase = 0x0a00_0000;

    public string Name => "mmio_read_user";
    public int Iterations => 65536;
    public string? SkipReason => null;

    public void Prepare(MicroBenchContext ctx, Vcpu cpu0) =>
        ctx.Vm.Router.MapMmio("virtio-mmio", VirtioMmioBase, 0x200, new VirtioMmioRegisters(), Placement.VmmUser);

    public GuestFlag? Execute(MicroBenchContext ctx, Vcpu cpu0)
    {
        ulong id = cpu0.MmioRead(VirtioMmioBase + 8, 4);
        if (id != VirtioMmioRegisters.DeviceIdBlock)
            throw new InvalidOperationException($"mmio_read_user: DeviceID read {id}, expected {VirtioMmioRegisters.DeviceIdBlock}");
        return null;
    }

    /// <summary>The first registers of a virtio-mmio (version 2) block device, as the VMM serves them.</summary>
    private sealed class VirtioMmioRegisters : IMmioHandler
    {
        public const ulong MagicValue = 0x74726976, Version = 2, DeviceIdBlock = 2, VendorId = 0x554D4551;

        public ulong Read(Vcpu cpu, ulong offset, int size) => offset switch
        {
            0x000 => MagicValue,
            0x004 => Version,
            0x008 => DeviceIdBlock,
            0x00c => VendorId,
            _ => 0,
        };

        public void Write(Vcpu cpu, ulong offset, int size, ulong value) { }
    }
}

/// <summary>
/// <c>ipi</c>: vCPU0 sends IPI 1 (call-function, SGI 1 on GICv3) to vCPU1, which spins in the guest with IRQs unmasked
/// (not in WFI), and waits until vCPU1's handler has run (costs.md §2). Written against the guest irqchip contract, so
/// every controller runs it; a kit may replace it with its own (GICv3 clears GICD_CTLR.nASSGIreq first).
/// </summary>
public sealed class IpiTest : IMicroBenchmark
{
    private static readonly VcpuId[] Target = [new(1)];

    public string Name => "ipi";
    public int Iterations => 65536;
    public string? SkipReason => null;
    public void Prepare(MicroBenchContext ctx, Vcpu cpu0) { }

    public GuestFlag? Execute(MicroBenchContext ctx, Vcpu cpu0)
    {
        ctx.Chip.SendIpi(cpu0, IpiKind.CallFunction, Target);
        return ctx.Handled;
    }
}

/// <summary>
/// <c>timer_10ms</c>: vCPU0 programs its virtual timer 10 ms ahead and spins until its own handler has run; the 10 ms
/// are subtracted. What is left is the expiry-to-handler latency: the vtimer's physical PPI makes vCPU0 exit (under
/// KVM), the controller injects the timer interrupt, the guest takes and completes it.
/// </summary>
public sealed class Timer10msTest : IMicroBenchmark
{
    private const double DelayNs = 10_000_000;

    public string Name => "timer_10ms";
    public int Iterations => 256;
    public string? SkipReason => null;
    public void Prepare(MicroBenchContext ctx, Vcpu cpu0) { }

    public GuestFlag? Execute(MicroBenchContext ctx, Vcpu cpu0)
    {
        cpu0.Timer.SetDeadline(cpu0.Now + ctx.Vm.Profile.NsToCycles(DelayNs));
        return ctx.Handled;
    }

    public long FixedDelayCycles(CostProfile profile) => profile.NsToCycles(DelayNs);
}
