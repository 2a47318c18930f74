using IrqBench.Machine.Simulation;
using IrqBench.Machine.Vcpus;
using IrqBench.Workloads.Kernel;

namespace IrqBench.Workloads.Hackbench;

/// <summary>
/// hackbench's main task: creates every group's receivers and senders, waits until all of them wrote their ready
/// byte, takes the start time, writes the start byte that wakes them all, and reaps them; the time it prints runs
/// from that start byte to the last reap (costs.md §3.1 "Timing").
/// </summary>
public sealed class HackbenchParent : GuestTask
{
    private enum Phase { Fork, Ready, Reap, Done }
    private Phase phase;
    private int forked, readyRead, reaped, exitedUnreaped;
    private bool inFork;
    private readonly List<HackbenchTask> children = [];
    private readonly WaitQueue childExit = new();

    /// <param name="streamFor">The named random stream of one child (<see cref="Machine.VirtualMachine.Random"/>):
    /// every child draws its user-space work from a stream of its own, named by its group and place in it, so that
    /// its k-th draw is the same whatever order the scheduler runs the children in (common random numbers across
    /// controllers and profiles).</param>
    public HackbenchParent(HackbenchConfig config, Func<string, DeterministicRandom> streamFor) : base("hackbench", mm: 0)
    {
        Config = config;
        ReadyPipe = new MessageBuffer(BufferKind.Pipe(), 1);
        for (int g = 0; g < config.Groups; g++)
        {
            // hackbench.c group(): the receivers first, each with its own socketpair or pipe, then the senders.
            var receivers = new Receiver[config.Fds];
            for (int i = 0; i < config.Fds; i++)
            {
                receivers[i] = new Receiver(MmOf(children.Count), this, new MessageBuffer(config.Buffer, config.DataSize),
                    streamFor($"hackbench/group{g}/receiver{i}/user"));
                children.Add(receivers[i]);
            }
            for (int i = 0; i < config.Fds; i++)
                children.Add(new Sender(MmOf(children.Count), this, receivers, streamFor($"hackbench/group{g}/sender{i}/user")));
        }
    }

    public HackbenchConfig Config { get; }
    public MessageBuffer ReadyPipe { get; }
    public WaitQueue StartWaiters { get; } = new();
    public bool Started { get; private set; }

    /// <summary>Called when the clock starts (the counters of the measured interval open here).</summary>
    public Action? OnStart { get; set; }
    public long StartTime { get; private set; }
    public long EndTime { get; private set; }
    public bool Finished => phase == Phase.Done;
    public IReadOnlyList<HackbenchTask> Children => children;

    /// <summary>Processes get their own address space; threads share the parent's.</summary>
    private int MmOf(int child) => Config.UseThreads ? 0 : child + 1;

    protected internal override TaskStep Run(GuestKernel k, Vcpu cpu)
    {
        var c = k.Costs;
        switch (phase)
        {
            case Phase.Fork:
                // fork()/clone() is preemptible kernel work; wake_up_new_task ends it.
                inFork = !inFork;
                if (inFork) return TaskStep.Compute(Config.UseThreads ? c.ForkThread : c.ForkProcess);
                k.WakeUpNewTask(cpu, children[forked]);
                if (++forked == children.Count) phase = Phase.Ready;
                return TaskStep.Compute(0);
            case Phase.Ready:
                k.Syscall(cpu, c.PipeRead);
                if (!ReadyPipe.TryRead(k, cpu)) { ReadyPipe.Readers.Add(this); return TaskStep.Block; }
                if (++readyRead < children.Count) return TaskStep.Compute(0);
                // gettimeofday(&start), then write(wakefd): every child polling the wake fd is woken.
                StartTime = cpu.Now;
                Started = true;
                OnStart?.Invoke();
                k.Syscall(cpu, c.PipeWrite);
                StartWaiters.WakeAll(k, cpu, sync: true); // pipe_write's sync wake-up, through pollwake
                phase = Phase.Reap;
                return TaskStep.Compute(0);
            case Phase.Reap:
                if (exitedUnreaped == 0) { childExit.Add(this); return TaskStep.Block; }
                k.Syscall(cpu, c.Wait4);
                exitedUnreaped--;
                if (++reaped < children.Count) return TaskStep.Compute(0);
                EndTime = cpu.Now;
                phase = Phase.Done;
                k.Vm.Stop();
                return TaskStep.Exit;
            default:
                return TaskStep.Exit;
        }
    }

    /// <summary>do_notify_parent: a child exited; the parent sleeping in wait() is woken.</summary>
    internal void ChildExited(GuestKernel k, Vcpu cpu)
    {
        exitedUnreaped++;
        childExit.WakeOne(k, cpu);
    }
}
