using IrqBench.Machine;
using IrqBench.Machine.Simulation;
using IrqBench.Workloads.Common;
using IrqBench.Workloads.Devices;
using IrqBench.Workloads.Kernel;
using IrqBench.Workloads.Parameters;

namespace IrqBench.Workloads.Kbuild;

/// <summary>
/// A kernel build, <c>make -jN</c> (costs.md §4), on the guest kernel model: a top make runs one sub-make per
/// directory, each compiling its files through the shared jobserver and archiving them, then links. The build's
/// wake-ups (fork, exit, jobserver tokens), the tick on busy vCPUs, the cross-CPU calls and the virtio-blk
/// completions are the interrupts it makes. Result: build time and jobs per second.
/// </summary>
public sealed class KbuildWorkload : IWorkload
{
    public string Name => "kbuild";
    public string Description => "make -jN of a kernel-like tree: forked compilers with log-normal CPU time, the jobserver, virtio-blk reads, irqbalance";
    public int? FixedVcpus => null;
    public IReadOnlyList<ParameterSpec> Parameters => KbuildConfig.Specs;

    public RunResult Run(RunSpec spec) => Run(spec, out _);

    /// <summary>Runs and hands back every job (for inspection).</summary>
    public static RunResult Run(RunSpec spec, out IReadOnlyList<Job> jobs)
    {
        var cfg = KbuildConfig.From(spec.Parameters, spec.Vcpus);
        var vm = new VirtualMachine(spec.Profile, spec.Vcpus, spec.Seed, spec.Kit.CreateController()) { Trace = spec.Trace };
        var prof = spec.Profile;
        long Ms(double ms) => prof.NsToCycles(ms * 1e6);

        var device = new VirtioBlkDevice(vm, new DeviceId(1), prof.NsToCycles(cfg.DiskLatencyUs * 1e3), cfg.DiskSigma);
        var blk = new VirtioBlkDriver(device, spec.Vcpus);
        var jobserver = new MessageBuffer(BufferKind.PolledPipe(), 1);
        jobserver.Prefill(cfg.Jobs - 1); // make -jN puts N-1 tokens in the pipe; the top make's own slot is implicit

        // Every job draws its properties, and the latencies of its disk reads, from streams of its own named by its
        // place in the tree: the k-th draw of a job is the same under every controller and profile (common random
        // numbers), whatever order the build runs in.
        var all = new List<Job>();
        int mm = 1;
        Job NewJob(string identity, string name, Func<DeterministicRandom, long> cycles)
        {
            var own = vm.Random(identity);
            long cpu = cycles(own);
            bool miss = own.NextDouble() < cfg.ReadMiss;
            bool sync = own.NextDouble() < cfg.SyncCallPerJob;
            var j = new Job(name, mm++, cpu, miss ? cfg.ReadsPerMiss : 0, sync, blk, vm.Random(identity + "/disk"));
            all.Add(j);
            return j;
        }

        var subMakes = new List<GuestTask>();
        for (int d = 0; d < cfg.Dirs; d++)
        {
            int files = cfg.Files / cfg.Dirs + (d < cfg.Files % cfg.Dirs ? 1 : 0);
            var compiles = new List<GuestTask>();
            for (int f = 0; f < files; f++)
                compiles.Add(NewJob($"kbuild/dir{d}/cc{f}", "cc", r => Math.Max(1, Ms(r.NextLogNormal(cfg.CompileMedianMs, cfg.CompileSigma)))));
            var stages = new List<IReadOnlyList<GuestTask>>();
            if (compiles.Count > 0) stages.Add(compiles);
            stages.Add([NewJob($"kbuild/dir{d}/ar", "ar", _ => Ms(cfg.ArchiveMs))]);
            subMakes.Add(new Make($"make[{d}]", mm++, jobserver, stages, prof.NsToCycles(cfg.MakeOverheadUs * 1e3)));
        }
        var top = new Make("make", mm++, jobserver, [subMakes, [NewJob("kbuild/ld", "ld", _ => Ms(cfg.LinkMs))]], prof.NsToCycles(cfg.MakeOverheadUs * 1e3))
        {
            OnFinished = (k, _) => k.Vm.Stop(),
        };
        MetricWindow? window = null;
        top.OnStarted = cpu => window = MetricWindow.Open(vm, cpu.Now); // the build, not the irqchip bring-up
        var irqbalance = new IrqBalance(blk, Ms(cfg.IrqbalanceMs));

        var kernel = new GuestKernel(vm, spec.Kit.CreateGuestChip(vm), (k, cpu) =>
        {
            blk.Probe(k, cpu, new VcpuId(0));
            k.WakeUpNewTask(cpu, k.Register(top), pinnedCpu: 0);
            k.WakeUpNewTask(cpu, k.Register(irqbalance));
        }, config: KernelConfig.From(spec.Parameters));
        vm.Boot(_ => kernel);
        vm.Run();
        if (!top.Finished)
            throw new InvalidOperationException($"kbuild did not finish: the simulation ran out of events at {vm.Queue.Now} cycles");
        var metrics = window!.Close(top.EndTime);
        metrics.Get("kbuild_jobs").Value = all.Count;
        metrics.Get("kbuild_blk_reads").Value = blk.Submitted;
        metrics.Get("kbuild_irq_affinity_moves").Value = irqbalance.Moves;
        jobs = all;
        return new RunResult(top.EndTime - top.StartTime, all.Count, "job", metrics);
    }
}
