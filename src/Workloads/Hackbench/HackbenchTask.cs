using IrqBench.Machine.Simulation;
using IrqBench.Machine.Vcpus;
using IrqBench.Workloads.Kernel;

namespace IrqBench.Workloads.Hackbench;

/// <summary>
/// What every hackbench child does before its real work (hackbench.c ready()): write one byte to the ready pipe, then
/// poll the wake fd until the parent writes the start byte. At the end it exits, which wakes the parent in wait().
/// </summary>
public abstract class HackbenchTask(string name, int mm, HackbenchParent parent, DeterministicRandom userWork) : GuestTask(name, mm)
{
    private enum Phase { Ready, Polling, Working, Exiting }
    private Phase phase;

    protected HackbenchParent Parent { get; } = parent;

    /// <summary>How many user-work draws this task made, and their total in cycles (what the common-random-numbers
    /// tests compare between runs that schedule differently).</summary>
    public long UserWorkDraws { get; private set; }
    public long UserWorkCycles { get; private set; }

    /// <summary>The user-space work between two syscalls: hackbench_loop, spread log-normally (median the primitive)
    /// by <see cref="HackbenchConfig.UserJitter"/>, drawn from this task's own stream.</summary>
    protected long UserWork(GuestKernel k)
    {
        long w = Parent.Config.UserJitter == 0
            ? k.Costs.HackbenchLoop
            : (long)userWork.NextLogNormal(k.Costs.HackbenchLoop, Parent.Config.UserJitter);
        UserWorkDraws++;
        UserWorkCycles += w;
        return w;
    }

    protected internal sealed override TaskStep Run(GuestKernel k, Vcpu cpu)
    {
        switch (phase)
        {
            case Phase.Ready:
                k.Syscall(cpu, k.Costs.PipeWrite);
                Parent.ReadyPipe.Write(k, cpu);
                phase = Phase.Polling;
                goto case Phase.Polling;
            case Phase.Polling:
                k.Syscall(cpu, k.Costs.PollWait);
                if (!Parent.Started)
                {
                    Parent.StartWaiters.Add(this);
                    return TaskStep.Block;
                }
                phase = Phase.Working;
                return TaskStep.Compute(UserWork(k));
            case Phase.Exiting:
                Parent.ChildExited(k, cpu);
                return TaskStep.Exit;
            default:
                return Work(k, cpu);
        }
    }

    /// <summary>One step of the sender's or receiver's loop: at most one system call.</summary>
    protected abstract TaskStep Work(GuestKernel k, Vcpu cpu);

    /// <summary>exit(): do_exit (preemptible kernel work), then do_notify_parent wakes the parent waiting in wait().</summary>
    protected TaskStep ExitNow(GuestKernel k, Vcpu cpu)
    {
        phase = Phase.Exiting;
        return TaskStep.Compute(Parent.Config.UseThreads ? k.Costs.ExitThread : k.Costs.ExitProcess);
    }
}
