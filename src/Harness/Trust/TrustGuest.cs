using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Harness.Trust;

/// <summary>
/// The protected guest the attacks run against, written against the guest irqchip contract only, so that every design
/// runs the same guest on three vCPUs. Bring-up first (as long as the design's driver makes it): vCPU0 initialises
/// the controller, the secondaries bring up their own CPU interface when they see it done; once all are up, vCPU0
/// sets up two device interrupts routed to vCPU1 — <see cref="Routed"/> left enabled, <see cref="Quiesced"/> masked
/// at once — and fixes <see cref="Origin"/> at the next period boundary. From there, for <c>periods</c> periods of
/// <see cref="Period"/> cycles:
/// <list type="bullet">
/// <item>vCPU0 sends a call-function IPI to vCPU1 <see cref="SendOffsetUs"/> µs into each period;</item>
/// <item>vCPU1 keeps PSTATE.I set until <see cref="MaskedUs"/> µs into each period, so a signalled IPI waits there
/// long enough to be tampered with, and takes it when it unmasks, for <see cref="OpenUs"/> µs of work (the devices
/// signal inside that stretch);</item>
/// <item>vCPU2 computes; nothing is ever sent or routed to it, and no vCPU arms its timer.</item>
/// </list>
/// Every interrupt taken is recorded with the vCPU and time; <see cref="GuestRecord"/> judges them against what the
/// guest itself did.
/// </summary>
internal sealed class TrustGuest(VirtualMachine vm, IGuestIrqChip chip, long period, int periods) : IGuestProgram, IGuestIrqHandlers
{
    public const int SendOffsetUs = 5, MaskedUs = 40, OpenUs = 30;
    public static readonly DeviceId RoutedDevice = new(7), QuiescedDevice = new(8);

    private static readonly VcpuId[] Receiver = [new(1)];
    private readonly GuestFlag controllerReady = new(), allUp = new(), go = new();
    private readonly bool[] broughtUp = new bool[vm.Vcpus.Count];
    private int up;
    private long openedIn = -1;

    public long Period => period;

    /// <summary>The start of the first period (-1 until every vCPU is up).</summary>
    public long Origin { get; private set; } = -1;

    /// <summary>The end of the last period.</summary>
    public long End => Origin + period * periods;

    /// <summary>Called once, when the origin is fixed, with <see cref="Origin"/>: where the host's schedule starts.</summary>
    public Action<long>? OnOrigin { get; set; }

    /// <summary>The device interrupt the guest routes to vCPU1 and leaves enabled (null before the origin).</summary>
    public DeviceIrq? Routed { get; private set; }

    /// <summary>The device interrupt the guest routes to vCPU1 and masks: the guest wants none of it.</summary>
    public DeviceIrq? Quiesced { get; private set; }

    public GuestRecord Record { get; } = new();

    private long Us(double us) => vm.Profile.NsToCycles(us * 1000);

    public void Start(Vcpu cpu)
    {
        if (cpu.Id.Value == 0)
        {
            chip.InitBootCpu(cpu);
            chip.InitCpu(cpu);
            controllerReady.Set(cpu);
            CameUp(cpu, allUp);
            return;
        }
        cpu.IrqsMasked = true; // a secondary takes nothing before its CPU interface is up
        cpu.SpinUntil(controllerReady);
    }

    /// <summary>This vCPU is up: the last one up tells vCPU0, which waits for it; the others wait for the origin.</summary>
    private void CameUp(Vcpu cpu, GuestFlag waitFor)
    {
        broughtUp[cpu.Id.Value] = true;
        if (++up == broughtUp.Length) allUp.Set(cpu);
        cpu.SpinUntil(waitFor);
    }

    /// <summary>vCPU0, everyone up: the device interrupts are set up as a driver's probe would (after every CPU is
    /// online), and the first period starts at the next period boundary.</summary>
    private void FixOrigin(Vcpu cpu)
    {
        Routed = chip.SetupDeviceIrq(cpu, RoutedDevice, 0, Receiver[0]);
        Quiesced = chip.SetupDeviceIrq(cpu, QuiescedDevice, 0, Receiver[0]);
        chip.MaskDeviceIrq(cpu, Quiesced);
        Origin = (cpu.Now / period + 1) * period;
        go.Set(cpu);
        OnOrigin?.Invoke(Origin);
        cpu.RunWork(Origin - cpu.Now);
    }

    public void Resume(Vcpu cpu)
    {
        if (!broughtUp[cpu.Id.Value])
        {
            chip.InitCpu(cpu);
            cpu.IrqsMasked = false;
            CameUp(cpu, go);
            return;
        }
        if (Origin < 0) { FixOrigin(cpu); return; } // only vCPU0 waits for allUp, the others wait for go
        if (cpu.Now < Origin) { cpu.RunWork(Origin - cpu.Now); return; }
        if (cpu.Now >= End) { cpu.Stop(); return; }
        long inPeriod = (cpu.Now - Origin) % period, start = cpu.Now - inPeriod;
        switch (cpu.Id.Value)
        {
            case 0: Sender(cpu, start, inPeriod); return;
            case 1: Receiving(cpu, start); return;
            default:
                cpu.RunWork(Math.Min(start + period, End) - cpu.Now);
                return;
        }
    }

    private void Sender(Vcpu cpu, long start, long inPeriod)
    {
        long send = Us(SendOffsetUs), k = (start - Origin) / period;
        if (inPeriod >= send && !Record.SentIn(k))
        {
            Record.Sent(k, cpu.Now);
            chip.SendIpi(cpu, IpiKind.CallFunction, Receiver);
        }
        cpu.RunWork(NextPoint(start, inPeriod, send) - cpu.Now);
    }

    /// <summary>
    /// vCPU1's period: PSTATE.I set until <see cref="MaskedUs"/> into it, then <see cref="OpenUs"/> of work with
    /// interrupts taken, then masked again until the next period's unmask. Work is a duration, and the interrupts
    /// taken in it lengthen it; so the masked stretch starts well before the next IPI is sent, and ends at a time.
    /// </summary>
    private void Receiving(Vcpu cpu, long start)
    {
        long k = (start - Origin) / period, unmaskAt = start + Us(MaskedUs);
        if (cpu.Now < unmaskAt)
        {
            cpu.IrqsMasked = true;
            cpu.RunWork(unmaskAt - cpu.Now);
        }
        else if (openedIn != k)
        {
            openedIn = k;
            cpu.IrqsMasked = false;
            cpu.RunWork(Us(OpenUs));
        }
        else
        {
            cpu.IrqsMasked = true;
            cpu.RunWork(Math.Min(End, unmaskAt + period) - cpu.Now);
        }
    }

    /// <summary>The next boundary after now: <paramref name="mark"/> into this period, or the next period's start.</summary>
    private long NextPoint(long start, long inPeriod, long mark) => Math.Min(End, inPeriod < mark ? start + mark : start + period);

    public void OnIrq(Vcpu cpu) => chip.HandleIrq(cpu, this);
    public void OnIpi(Vcpu cpu, IpiKind kind) => Record.Took(cpu.Id.Value, $"ipi {kind}", cpu.Now);
    public void OnTimer(Vcpu cpu) { cpu.Timer.Disable(); Record.Took(cpu.Id.Value, "timer", cpu.Now); }

    public void OnDeviceIrq(Vcpu cpu, DeviceIrq irq) =>
        Record.Took(cpu.Id.Value, irq == Quiesced ? "device (masked)" : "device", cpu.Now);
}
