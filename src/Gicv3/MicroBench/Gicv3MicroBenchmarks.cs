using IrqBench.Gicv3.CpuInterface;
using IrqBench.Gicv3.Registers;
using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Gicv3.MicroBench;

/// <summary><c>mmio_read_vgic</c>: a 32-bit read of GICD_IIDR, a stage-2 abort emulated by the in-kernel vgic
/// (kvm-unit-tests arm/micro-bench, costs.md §2).</summary>
public sealed class MmioReadVgicTest(Gicv3Config config) : IMicroBenchmark
{
    public string Name => "mmio_read_vgic";
    public int Iterations => 65536;
    public string? SkipReason => null;
    public void Prepare(MicroBenchContext ctx, Vcpu cpu0) { }

    public GuestFlag? Execute(MicroBenchContext ctx, Vcpu cpu0)
    {
        ulong iidr = cpu0.MmioRead(config.DistributorBase + Gicd.Iidr, 4);
        if (iidr >> 24 != Gicd.ProductIdKvm)
            throw new InvalidOperationException($"mmio_read_vgic: GICD_IIDR read 0x{iidr:X}, not KVM's");
        return null;
    }
}

/// <summary><c>eoi</c>: a write of the spurious INTID 1023 to ICC_EOIR1_EL1, served by the virtual CPU interface
/// with no trap (and, being special, with no effect).</summary>
public sealed class EoiTest : IMicroBenchmark
{
    public string Name => "eoi";
    public int Iterations => 65536;
    public string? SkipReason => null;
    public void Prepare(MicroBenchContext ctx, Vcpu cpu0) { }

    public GuestFlag? Execute(MicroBenchContext ctx, Vcpu cpu0)
    {
        cpu0.SysregWrite(IccSysRegs.Eoir1, SpecialIntIds.Spurious);
        return null;
    }
}

/// <summary><c>ipi</c>: vCPU0 sends SGI 1 to vCPU1, which spins in the guest (not in WFI), and waits until vCPU1's
/// handler has run: the trapped SGI1R write, the kick, vCPU1's exit and LR injection, its IAR/EOI.</summary>
public sealed class IpiTest : IMicroBenchmark
{
    private readonly VcpuId[] target = [new(1)];

    public string Name => "ipi";
    public int Iterations => 65536;
    public string? SkipReason => null;
    public void Prepare(MicroBenchContext ctx, Vcpu cpu0) { }

    public GuestFlag? Execute(MicroBenchContext ctx, Vcpu cpu0)
    {
        ctx.Chip.SendIpi(cpu0, IpiKind.CallFunction, target);
        return ctx.Handled;
    }
}

/// <summary><c>timer_10ms</c>: vCPU0 programs its virtual timer 10 ms ahead and spins until the timer's handler has
/// run; the 10 ms are subtracted. The expiry-to-handler latency: the vtimer's physical PPI makes vCPU0 exit, KVM
/// injects the HW-mapped PPI 27, the guest takes it from the list register.</summary>
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
