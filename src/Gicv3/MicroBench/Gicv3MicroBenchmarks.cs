using IrqBench.Gicv3.CpuInterface;
using IrqBench.Gicv3.Guest;
using IrqBench.Gicv3.Its;
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
/// handler has run: the trapped SGI1R write, the kick, vCPU1's exit and LR injection, its IAR/EOI. With GICv4.1 the
/// test first clears GICD_CTLR.nASSGIreq, so that the SGI is injected by software (kvm-unit-tests does the same);
/// <c>ipi_hw</c> sets it instead.</summary>
public class IpiTest(Gicv3Config config) : IMicroBenchmark
{
    private readonly VcpuId[] target = [new(1)];

    protected Gicv3Config Config { get; } = config;

    public virtual string Name => "ipi";
    public int Iterations => 65536;
    public virtual string? SkipReason => null;

    /// <summary>Whether the SGIs should be GICv4.1 hardware vSGIs.</summary>
    protected virtual bool HardwareSgis => false;

    public void Prepare(MicroBenchContext ctx, Vcpu cpu0)
    {
        ulong ctlr = Config.DistributorBase + Gicd.Ctlr;
        if ((cpu0.MmioRead(Config.DistributorBase + Gicd.Typer2, 4) & (1u << 8)) == 0) return; // no nASSGIcap
        bool on = (cpu0.MmioRead(ctlr, 4) & Gicd.CtlrNassgiReq) != 0;
        if (on == HardwareSgis) return;
        cpu0.MmioWrite(ctlr, 4, 0); // nASSGIreq only changes while the distributor is disabled
        cpu0.MmioWrite(ctlr, 4, Gicd.CtlrEnableGrp1 | (HardwareSgis ? Gicd.CtlrNassgiReq : 0));
    }

    public GuestFlag? Execute(MicroBenchContext ctx, Vcpu cpu0)
    {
        ctx.Chip.SendIpi(cpu0, IpiKind.CallFunction, target);
        return ctx.Handled;
    }
}

/// <summary><c>ipi_hw</c>: the same with GICD_CTLR.nASSGIreq set, i.e. GICv4.1 hardware vSGIs: the sender still traps,
/// the receiver takes the SGI with no exit. Skipped without GICv4.1, as kvm-unit-tests reports it.</summary>
public sealed class IpiHwTest(Gicv3Config config) : IpiTest(config)
{
    public override string Name => "ipi_hw";
    public override string? SkipReason => Config.Gicv41 ? null : "no GICv4.1 (GICD_TYPER2.nASSGIcap is clear)";
    protected override bool HardwareSgis => true;
}

/// <summary><c>lpi</c>: the guest drives the ITS with an INT command for device 2, event 20, mapped to LPI 8199 on
/// vCPU1's collection: the command written into the queue, the trapped CWRITER write that processes it, CREADR polled
/// until it is consumed, then vCPU1's handler. With GICv4.1 the LPI is a forwarded vLPI: vCPU1 takes it with no
/// exit.</summary>
public sealed class LpiTest(Gicv3Config config) : IMicroBenchmark
{
    public const uint Device = 2, Event = 20, Lpi = 8199;

    public string Name => "lpi";
    public int Iterations => 65536;
    public string? SkipReason => config.HasIts ? null : "no ITS";

    public void Prepare(MicroBenchContext ctx, Vcpu cpu0) =>
        ctx.Device = Driver(ctx).MapDeviceEvent(cpu0, new DeviceId(Device), Event, Lpi, new VcpuId(1));

    public GuestFlag? Execute(MicroBenchContext ctx, Vcpu cpu0)
    {
        Driver(ctx).Its!.SendNoSync(cpu0, ItsCommand.Event(ItsCommandType.Int, Device, Event));
        return ctx.Handled;
    }

    private static Gicv3GuestDriver Driver(MicroBenchContext ctx) =>
        ctx.Chip as Gicv3GuestDriver ?? throw new InvalidOperationException("lpi: the guest irqchip is not the GICv3 driver");
}
