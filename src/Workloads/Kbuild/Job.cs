using IrqBench.Machine.Simulation;
using IrqBench.Machine.Vcpus;
using IrqBench.Workloads.Devices;
using IrqBench.Workloads.Kernel;

namespace IrqBench.Workloads.Kbuild;

/// <summary>
/// One command make runs (cc, ar, ld): after fork it execs, reads what is not in the page cache from virtio-blk
/// (sleeping until each completion interrupt), computes, maybe makes one cross-CPU function call, and exits, which
/// wakes its make in wait().
/// </summary>
/// <param name="disk">This job's own stream for the latencies of its reads (the k-th read of a job takes the same time
/// under every controller).</param>
public sealed class Job(string name, int mm, long cpuCycles, int reads, bool syncCall, VirtioBlkDriver blk, DeterministicRandom disk)
    : GuestTask(name, mm)
{
    private enum Phase { Exec, Read, Sync, Compute, Exit, Gone }
    private Phase phase;
    private int readsLeft = reads, slot = -1;

    public Make? Parent { get; set; }
    public long CpuCycles { get; } = cpuCycles;
    public int Reads { get; } = reads;

    /// <summary>The backing store's time for this job's reads, summed (drawn from the job's own stream).</summary>
    public long DiskCycles { get; private set; }

    /// <summary>How many times the job's command ran to completion (exactly once in a correct build).</summary>
    public int Executions { get; private set; }

    protected internal override TaskStep Run(GuestKernel k, Vcpu cpu)
    {
        while (true)
        {
            switch (phase)
            {
                case Phase.Exec:
                    phase = Phase.Read;
                    return TaskStep.Compute(k.Costs.Exec); // execve is preemptible kernel work
                case Phase.Read:
                    if (slot >= 0)
                    {
                        if (!blk.IsDone(slot)) return TaskStep.Block; // io_schedule until the completion wakes us
                        DiskCycles += blk.Release(slot);
                        slot = -1;
                        readsLeft--;
                    }
                    if (readsLeft > 0) { slot = blk.SubmitRead(k, cpu, this, disk); continue; }
                    phase = Phase.Sync;
                    continue;
                case Phase.Sync:
                    phase = Phase.Compute;
                    if (syncCall) return TaskStep.CallFunctionOnOthers;
                    continue;
                case Phase.Compute:
                    phase = Phase.Exit;
                    return TaskStep.Compute(CpuCycles);
                case Phase.Exit:
                    phase = Phase.Gone;
                    Executions++;
                    return TaskStep.Compute(k.Costs.ExitProcess); // exit_mmap
                default:
                    Parent!.ChildExited(k, cpu);
                    return TaskStep.Exit;
            }
        }
    }
}
