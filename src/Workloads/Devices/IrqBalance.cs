using IrqBench.Machine;
using IrqBench.Machine.Vcpus;
using IrqBench.Workloads.Kernel;

namespace IrqBench.Workloads.Devices;

/// <summary>
/// An irqbalance-like daemon: sleeps for its interval (an hrtimer on its vCPU), then moves the virtio-blk interrupt
/// to the vCPU that handled the fewest of them so far, by writing /proc/irq/N/smp_affinity (irq_set_affinity, which
/// reaches the controller through the chip's SetAffinity).
/// </summary>
public sealed class IrqBalance(VirtioBlkDriver blk, long intervalCycles) : GuestTask("irqbalance", mm: 1_000_000)
{
    private bool sleeping;

    public long Moves { get; private set; }

    protected internal override TaskStep Run(GuestKernel k, Vcpu cpu)
    {
        if (!sleeping)
        {
            sleeping = true;
            return k.SleepUntil(cpu, this, cpu.Now + intervalCycles);
        }
        sleeping = false;
        if (blk.Irq is { } irq)
        {
            var counts = blk.IrqsPerCpu;
            int best = irq.Affinity.Value == 0 && counts.Length > 1 ? 1 : 0;
            for (int i = 0; i < counts.Length; i++)
                if (i != irq.Affinity.Value && counts[i] < counts[best]) best = i;
            if (best != irq.Affinity.Value)
            {
                k.Syscall(cpu, k.Costs.IrqSetAffinity);
                k.Chip.SetAffinity(cpu, irq, new VcpuId(best));
                Moves++;
            }
        }
        return TaskStep.Compute(0);
    }
}
