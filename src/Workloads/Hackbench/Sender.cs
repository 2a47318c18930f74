using IrqBench.Machine.Simulation;
using IrqBench.Machine.Vcpus;
using IrqBench.Workloads.Kernel;

namespace IrqBench.Workloads.Hackbench;

/// <summary>hackbench's sender: for each of loops rounds, writes one message to every receiver of its group, sleeping
/// in write() when that receiver's buffer is full.</summary>
public sealed class Sender(int mm, HackbenchParent parent, IReadOnlyList<Receiver> receivers, DeterministicRandom userWork)
    : HackbenchTask("sender", mm, parent, userWork)
{
    private int loop, next;

    public long Sent { get; private set; }

    protected override TaskStep Work(GuestKernel k, Vcpu cpu)
    {
        if (loop == Parent.Config.Loops) return ExitNow(k, cpu);
        var c = k.Costs;
        var buf = receivers[next].Input;
        k.Syscall(cpu, Parent.Config.UsePipes ? c.PipeWrite : c.UnixStreamWrite);
        if (!buf.CanWrite) return buf.BlockWriter(this); // the write is retried when the reader makes room
        k.Syscall(cpu, c.Copy(buf.MessageBytes));
        buf.Write(k, cpu);
        Sent++;
        if (++next == receivers.Count) { next = 0; loop++; }
        return TaskStep.Compute(UserWork(k));
    }
}
