using IrqBench.Machine;
using IrqBench.Workloads.Common;
using IrqBench.Workloads.Kernel;
using IrqBench.Workloads.Parameters;

namespace IrqBench.Workloads.Hackbench;

/// <summary>
/// hackbench (costs.md §3): groups × (fds senders + fds receivers) exchanging small messages through sockets or
/// pipes on the guest kernel model. Every wake-up, IPI, idle entry and exit comes from that exchange; the result is
/// the time hackbench prints and the messages per second.
/// </summary>
public sealed class HackbenchWorkload : IWorkload
{
    public string Name => "hackbench";
    public string Description => "hackbench: senders and receivers exchanging messages over sockets or pipes; time from the start byte to the last reap";
    public int? FixedVcpus => null;
    public IReadOnlyList<ParameterSpec> Parameters => HackbenchConfig.Specs;

    public RunResult Run(RunSpec spec) => Run(spec, out _);

    /// <summary>Runs and hands back the parent (its children and buffers) for inspection.</summary>
    public static RunResult Run(RunSpec spec, out HackbenchParent parent)
    {
        var config = HackbenchConfig.From(spec.Parameters);
        var vm = new VirtualMachine(spec.Profile, spec.Vcpus, spec.Seed, spec.Kit.CreateController()) { Trace = spec.Trace };
        var p = parent = new HackbenchParent(config, vm.Random);
        MetricWindow? window = null;
        p.OnStart = () => window = MetricWindow.Open(vm, p.StartTime);
        var kernel = new GuestKernel(vm, spec.Kit.CreateGuestChip(vm), (k, cpu) => k.WakeUpNewTask(cpu, k.Register(p), pinnedCpu: 0),
            config: KernelConfig.From(spec.Parameters));
        vm.Boot(_ => kernel);
        vm.Run();
        if (!p.Finished)
            throw new InvalidOperationException($"hackbench did not finish: the simulation ran out of events at {vm.Queue.Now} cycles");
        var metrics = window!.Close(p.EndTime);
        long blocks = 0;
        foreach (var child in p.Children) if (child is Receiver r) blocks += r.Input.WriterBlocks;
        metrics.Get("hackbench_writer_blocks").Value = blocks;
        return new RunResult(p.EndTime - p.StartTime, config.Messages, "message", metrics);
    }
}
