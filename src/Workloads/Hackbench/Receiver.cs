using IrqBench.Machine.Simulation;
using IrqBench.Machine.Vcpus;
using IrqBench.Workloads.Kernel;

namespace IrqBench.Workloads.Hackbench;

/// <summary>hackbench's receiver: reads fds × loops messages of datasize bytes from its own socket or pipe, sleeping
/// in read() whenever it is empty.</summary>
public sealed class Receiver(int mm, HackbenchParent parent, MessageBuffer input, DeterministicRandom userWork)
    : HackbenchTask("receiver", mm, parent, userWork)
{
    public MessageBuffer Input { get; } = input;
    public long Received { get; private set; }
    public long Expected => (long)Parent.Config.Fds * Parent.Config.Loops;

    protected override TaskStep Work(GuestKernel k, Vcpu cpu)
    {
        if (Received == Expected) return ExitNow(k, cpu);
        var c = k.Costs;
        k.Syscall(cpu, (Parent.Config.UsePipes ? c.PipeRead : c.UnixStreamRead) + c.Copy(Input.MessageBytes));
        if (!Input.TryRead(k, cpu))
        {
            Input.Readers.Add(this);
            return TaskStep.Block; // the read is retried when a writer wakes us
        }
        Received++;
        return TaskStep.Compute(UserWork(k));
    }
}
