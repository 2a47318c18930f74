using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Simulation;
using IrqBench.Machine.Vcpus;
using IrqBench.Workloads.Kernel;

namespace IrqBench.Workloads.Devices;

/// <summary>
/// The guest's virtio_blk driver: a read is submitted (blk-mq → virtio_queue_rq → notify, an MMIO exit to the VMM)
/// and the task sleeps in io_schedule until the completion interrupt's handler (vring_interrupt) wakes it.
/// </summary>
public sealed class VirtioBlkDriver : IDeviceDriver
{
    private const int QueueDepth = 256;
    private readonly VirtioBlkDevice device;
    private readonly GuestTask?[] waiter = new GuestTask?[QueueDepth];
    private readonly bool[] done = new bool[QueueDepth];
    private readonly Stack<int> free = new();
    private readonly long[] irqsPerCpu;

    public VirtioBlkDriver(VirtioBlkDevice device, int cpus)
    {
        this.device = device;
        for (int i = QueueDepth - 1; i >= 0; i--) free.Push(i);
        irqsPerCpu = new long[cpus];
    }

    public DeviceIrq? Irq { get; private set; }
    public long Submitted { get; private set; }

    /// <summary>What irqbalance reads from /proc/interrupts: this device's interrupts per vCPU.</summary>
    public ReadOnlySpan<long> IrqsPerCpu => irqsPerCpu;

    /// <summary>virtblk_probe: one MSI-X vector for the request queue, first aimed at <paramref name="affinity"/>.</summary>
    public void Probe(GuestKernel k, Vcpu cpu, VcpuId affinity)
    {
        Irq = k.Chip.SetupDeviceIrq(cpu, device.Id, vector: 1, affinity);
        device.Irq = Irq;
        k.RequestIrq(Irq, this);
    }

    /// <summary>Submits one read for <paramref name="task"/> (current on <paramref name="cpu"/>); returns the
    /// request slot. The caller then blocks until <see cref="IsDone"/>. The backing store's latency for it is drawn
    /// from <paramref name="latency"/>, the stream of whoever issues it.</summary>
    public int SubmitRead(GuestKernel k, Vcpu cpu, GuestTask task, DeterministicRandom latency)
    {
        if (!free.TryPop(out int slot)) throw new InvalidOperationException("virtio-blk: more than 256 requests in flight");
        Submitted++;
        k.Syscall(cpu, k.Costs.BlkSubmit);
        waiter[slot] = task;
        done[slot] = false;
        device.MakeAvailable(slot, latency);
        cpu.MmioWrite(VirtioBlkDevice.NotifyBase, 4, 0); // virtqueue_notify: exits to the VMM
        return slot;
    }

    public bool IsDone(int slot) => done[slot];

    /// <summary>The caller saw its request done: the slot is free again. Returns how long the backing store took.</summary>
    public long Release(int slot)
    {
        waiter[slot] = null;
        free.Push(slot);
        return device.ServiceCycles(slot);
    }

    /// <summary>vring_interrupt: complete every request in the used ring and wake its task.</summary>
    public void OnInterrupt(GuestKernel k, Vcpu cpu, DeviceIrq irq)
    {
        irqsPerCpu[cpu.Id.Value]++;
        while (device.Used.TryDequeue(out int slot))
        {
            k.Syscall(cpu, k.Costs.BlkComplete);
            done[slot] = true;
            if (waiter[slot] is { } t) k.TryToWakeUp(cpu, t);
        }
    }
}
