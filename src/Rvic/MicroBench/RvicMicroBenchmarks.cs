using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Vcpus;
using IrqBench.Rvic.Guest;

namespace IrqBench.Rvic.MicroBench;

/// <summary><c>eoi</c>: kvm-unit-tests completes the spurious INTID, a no-op completion. The rVIC's completion is the
/// driver's EOI of an edge IPI, CLEAR_MASKED of an INTID that is not active: a hypercall where GICv3 has none
/// (rvic-prio: an EOI of an INTID that is not active).</summary>
public sealed class EoiTest : IMicroBenchmark
{
    public string Name => "eoi";
    public int Iterations => 65536;
    public string? SkipReason => null;
    public void Prepare(MicroBenchContext ctx, Vcpu cpu0) { }

    public GuestFlag? Execute(MicroBenchContext ctx, Vcpu cpu0)
    {
        ((RvicGuestChip)ctx.Chip).IdleCompletion(cpu0);
        return null;
    }
}

/// <summary><c>lpi</c>: an MSI to vCPU1. The rVIC has no ITS for the guest to command, so the MSI is raised where a
/// virtio device raises it, in the VMM: doorbell write → rVID input → vCPU1's untrusted INTID.</summary>
public sealed class LpiTest : IMicroBenchmark
{
    public string Name => "lpi";
    public int Iterations => 65536;
    public string? SkipReason => null;

    public void Prepare(MicroBenchContext ctx, Vcpu cpu0) => SetUpDevice(ctx, cpu0);

    /// <summary>kvm-unit-tests' lpi uses device 2, event 20, routed to vCPU1.</summary>
    internal static void SetUpDevice(MicroBenchContext ctx, Vcpu cpu0) =>
        ctx.Device = ctx.Chip.SetupDeviceIrq(cpu0, new DeviceId(2), 20, new VcpuId(1));

    public GuestFlag? Execute(MicroBenchContext ctx, Vcpu cpu0)
    {
        var irq = ctx.Device!;
        ctx.Vm.Controller.SignalMsi(ctx.Vm.Host(cpu0.Now), irq.Device, irq.Msi);
        return ctx.Handled;
    }
}

/// <summary><c>msi_doorbell</c> (rvic-msi only, rvic.md §14): the guest itself writes an MSI to the frame's SETINPUT
/// register for vCPU1, the data abort that the frame turns into an rVID input; the counterpart of kvm-unit-tests'
/// lpi, where the guest raises the interrupt (there through an ITS INT command).</summary>
public sealed class MsiDoorbellTest : IMicroBenchmark
{
    public string Name => "msi_doorbell";
    public int Iterations => 65536;
    public string? SkipReason => null;

    public void Prepare(MicroBenchContext ctx, Vcpu cpu0) => LpiTest.SetUpDevice(ctx, cpu0);

    public GuestFlag? Execute(MicroBenchContext ctx, Vcpu cpu0)
    {
        var msi = ctx.Device!.Msi;
        cpu0.MmioWrite(msi.Address, 4, msi.Data);
        return ctx.Handled;
    }
}
