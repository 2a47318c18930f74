using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Simulation;
using IrqBench.Machine.Vcpus;
using IrqBench.Workloads.Kernel;

namespace IrqBench.Workloads.Trace;

/// <summary>
/// The recorded devices: one MSI vector each, set up by the guest at boot aimed at the vCPU that handled its first
/// interrupt; the VMM signals each recorded interrupt at its time. When the next recorded interrupt of a device was
/// handled on another vCPU, its handler moves the affinity (irqbalance had moved it in between), so the controller
/// sees the same affinity changes.
/// </summary>
public sealed class TraceDevices : IEventTarget, IDeviceDriver
{
    private readonly VirtualMachine vm;
    private readonly List<TraceEvent> rows = [];
    private readonly Dictionary<string, int> index = new(StringComparer.Ordinal);
    private readonly List<string> names = [];
    private readonly List<DeviceIrq> irqs = [];
    private readonly List<Queue<int>> nextTargets = [];
    private readonly Func<long, long> toCycles;
    private int cursor;

    public TraceDevices(VirtualMachine vm, IEnumerable<TraceEvent> events, Func<long, long> toCycles)
    {
        this.vm = vm;
        this.toCycles = toCycles;
        foreach (var e in events)
        {
            if (e.Kind != TraceKind.Device) continue;
            rows.Add(e);
            if (!index.TryGetValue(e.Device, out int d))
            {
                index[e.Device] = d = names.Count;
                names.Add(e.Device);
                nextTargets.Add(new Queue<int>());
            }
            nextTargets[d].Enqueue(e.Target);
        }
    }

    public int Count => rows.Count;
    public long Signalled { get; private set; }
    public long AffinityMoves { get; private set; }

    /// <summary>On the boot vCPU, once all are online: probe the devices and start the VMM's replay.</summary>
    public void Probe(GuestKernel k, Vcpu cpu)
    {
        for (int d = 0; d < names.Count; d++)
        {
            var irq = k.Chip.SetupDeviceIrq(cpu, new DeviceId((uint)(100 + d)), vector: 0, new VcpuId(nextTargets[d].Peek()));
            irqs.Add(irq);
            k.RequestIrq(irq, this);
        }
        if (rows.Count > 0) vm.Queue.Post(Math.Max(toCycles(rows[0].TimeNs), cpu.Now), this, 0);
    }

    /// <summary>The VMM signals the next recorded interrupt, and schedules the one after.</summary>
    public void OnEvent(int kind, long arg)
    {
        var e = rows[cursor++];
        var irq = irqs[index[e.Device]];
        Signalled++;
        vm.Controller.SignalMsi(vm.Host(vm.Queue.Now), irq.Device, irq.Msi);
        if (cursor < rows.Count) vm.Queue.Post(Math.Max(toCycles(rows[cursor].TimeNs), vm.Queue.Now), this, 0);
    }

    public void OnInterrupt(GuestKernel k, Vcpu cpu, DeviceIrq irq)
    {
        k.Syscall(cpu, k.Costs.BlkComplete);
        var targets = nextTargets[irqs.IndexOf(irq)];
        if (targets.Count > 0) targets.Dequeue();
        if (targets.TryPeek(out int next) && next != irq.Affinity.Value)
        {
            // irq_move_irq: the pending affinity change is applied when the interrupt is next handled.
            k.Syscall(cpu, k.Costs.IrqSetAffinity);
            k.Chip.SetAffinity(cpu, irq, new VcpuId(next));
            AffinityMoves++;
        }
    }
}
