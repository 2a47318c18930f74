using IrqBench.Machine.Vcpus;
using IrqBench.Workloads.Kernel;

namespace IrqBench.Workloads.Kbuild;

/// <summary>
/// A make process with GNU make's jobserver protocol: it owns one implicit job slot; every further concurrent job
/// needs a token read from the shared jobserver pipe, written back when that child is reaped. Waiting for a token or
/// a child is one pselect (the pipe's poll queue and SIGCHLD), so a token written back wakes every waiting make and
/// they race for it. Its targets come in stages (the objects, then the archive; or the sub-makes, then the link):
/// a stage starts when the previous one is reaped.
/// </summary>
public sealed class Make : GuestTask
{
    private readonly MessageBuffer jobserver;
    private readonly IReadOnlyList<IReadOnlyList<GuestTask>> stages;
    private readonly long overhead;
    private readonly WaitQueue childExit = new();
    private int stage, next, running, exitedUnreaped, tokensHeld;
    private GuestTask? forking;
    private bool exiting;

    public Make(string name, int mm, MessageBuffer jobserver, IReadOnlyList<IReadOnlyList<GuestTask>> stages, long overheadCycles)
        : base(name, mm)
    {
        this.jobserver = jobserver;
        this.stages = stages;
        overhead = overheadCycles;
        foreach (var s in stages)
            foreach (var t in s)
                if (t is Job j) j.Parent = this; else if (t is Make m) m.Parent = this;
    }

    public Make? Parent { get; private set; }
    public bool Finished { get; private set; }
    public long StartTime { get; private set; } = -1;
    public long EndTime { get; private set; }
    public Action<GuestKernel, Vcpu>? OnFinished { get; set; }

    /// <summary>Called when this make first runs (the build's measured interval starts here).</summary>
    public Action<Vcpu>? OnStarted { get; set; }

    protected internal override TaskStep Run(GuestKernel k, Vcpu cpu)
    {
        var c = k.Costs;
        if (StartTime < 0)
        {
            StartTime = cpu.Now;
            OnStarted?.Invoke(cpu);
        }
        if (forking is { } child)
        {
            // fork() is done: the child becomes runnable on the idlest vCPU and execs there.
            forking = null;
            k.WakeUpNewTask(cpu, child);
            running++;
            return TaskStep.Compute(overhead);
        }
        if (exiting)
        {
            Parent!.ChildExited(k, cpu);
            return TaskStep.Exit;
        }
        if (exitedUnreaped > 0)
        {
            k.Syscall(cpu, c.Wait4);
            exitedUnreaped--;
            running--;
            if (tokensHeld > 0)
            {
                k.Syscall(cpu, c.PipeWrite);
                jobserver.Write(k, cpu);
                tokensHeld--;
            }
            return TaskStep.Compute(0);
        }
        var targets = stages[stage];
        if (next < targets.Count)
        {
            if (running > 0)
            {
                k.Syscall(cpu, c.PipeRead);
                if (!jobserver.TryRead(k, cpu))
                {
                    jobserver.Readers.Add(this);
                    childExit.Add(this);
                    return TaskStep.Block;
                }
                tokensHeld++;
            }
            forking = targets[next++];
            return TaskStep.Compute(c.ForkProcess);
        }
        if (running > 0) { childExit.Add(this); return TaskStep.Block; }
        if (++stage < stages.Count) { next = 0; return TaskStep.Compute(0); }
        Finished = true;
        EndTime = cpu.Now;
        OnFinished?.Invoke(k, cpu);
        if (Parent is null) return TaskStep.Exit;
        exiting = true;
        return TaskStep.Compute(c.ExitProcess);
    }

    /// <summary>SIGCHLD: a child exited; make leaves pselect to reap it.</summary>
    internal void ChildExited(GuestKernel k, Vcpu cpu)
    {
        exitedUnreaped++;
        childExit.WakeOne(k, cpu);
    }
}
