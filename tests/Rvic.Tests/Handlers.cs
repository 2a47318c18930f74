using IrqBench.Machine.Contracts;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Rvic.Tests;

/// <summary>Guest IRQ handlers that record what each vCPU took ("vcpu1 ipi Reschedule"); the timer handler stops the
/// timer, as a one-shot handler would.</summary>
internal sealed class Handlers : IGuestIrqHandlers
{
    public readonly List<string> Seen = [];
    public void OnIpi(Vcpu cpu, IpiKind kind) => Seen.Add($"{cpu} ipi {kind}");
    public void OnTimer(Vcpu cpu) { cpu.Timer.Disable(); Seen.Add($"{cpu} timer"); }
    public void OnDeviceIrq(Vcpu cpu, DeviceIrq irq) => Seen.Add($"{cpu} device {irq.Device.Value}");
}
