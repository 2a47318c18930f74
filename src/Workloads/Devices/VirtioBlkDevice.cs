using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Simulation;
using IrqBench.Machine.Traps;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Workloads.Devices;

/// <summary>
/// A virtio-blk device emulated by the VMM in user space (QEMU/kvmtool): the guest's queue notify is an MMIO write
/// that exits to the VMM (virtio-pci notify, costs.md §4 "Devices"); the VMM's I/O thread completes each request
/// after the backing store's latency and signals the vector's MSI (irqfd / KVM_SIGNAL_MSI) to the controller.
/// </summary>
public sealed class VirtioBlkDevice : IMmioHandler, IEventTarget
{
    /// <summary>Where the VMM maps the device's notify region (below RAM, beside QEMU virt's virtio-mmio window).</summary>
    public const ulong NotifyBase = 0x0a10_0000, NotifySize = 0x1000;

    private readonly VirtualMachine vm;
    private readonly double medianCycles, sigma;
    private readonly Queue<(int Slot, DeterministicRandom Latency)> avail = new();
    private readonly Dictionary<int, long> service = new();

    public VirtioBlkDevice(VirtualMachine vm, DeviceId id, double medianLatencyCycles, double latencySigma)
    {
        this.vm = vm;
        Id = id;
        medianCycles = medianLatencyCycles;
        sigma = latencySigma;
        vm.Router.MapMmio("virtio-blk-notify", NotifyBase, NotifySize, this, Placement.VmmUser);
    }

    public DeviceId Id { get; }

    /// <summary>The MSI the guest programmed (its MSI-X table entry); null until the driver set it up.</summary>
    public DeviceIrq? Irq { get; set; }

    /// <summary>The used ring: completed request slots the guest has not consumed yet.</summary>
    public Queue<int> Used { get; } = new();

    public long Completions { get; private set; }

    /// <summary>The guest put a request descriptor in the available ring (guest memory, no exit). Its latency in the
    /// backing store is drawn from <paramref name="latency"/>, the requester's own stream, so that a request takes the
    /// same time whatever else the device served before it.</summary>
    public void MakeAvailable(int slot, DeterministicRandom latency) => avail.Enqueue((slot, latency));

    public ulong Read(Vcpu cpu, ulong offset, int size) => 0;

    /// <summary>How long the backing store took for the request last started in <paramref name="slot"/>.</summary>
    public long ServiceCycles(int slot) => service[slot];

    /// <summary>QueueNotify: the VMM pops the available ring and starts each request on its I/O thread.</summary>
    public void Write(Vcpu cpu, ulong offset, int size, ulong value)
    {
        while (avail.TryDequeue(out var r))
        {
            long took = Math.Max(1, (long)r.Latency.NextLogNormal(medianCycles, sigma));
            service[r.Slot] = took;
            long done = cpu.Now + took;
            vm.Queue.Post(done, this, 0, r.Slot);
        }
    }

    /// <summary>A request completed: into the used ring, then the MSI (no interrupt suppression modelled).</summary>
    public void OnEvent(int kind, long arg)
    {
        Completions++;
        Used.Enqueue((int)arg);
        if (Irq is { } irq) vm.Controller.SignalMsi(vm.Host(vm.Queue.Now), irq.Device, irq.Msi);
    }
}
