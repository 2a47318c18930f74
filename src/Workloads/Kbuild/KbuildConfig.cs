using IrqBench.Workloads.Kernel;
using IrqBench.Workloads.Parameters;

namespace IrqBench.Workloads.Kbuild;

/// <summary>
/// The kernel build's shape (costs.md §4): make -jN over directories of C files, each compiled by a forked and
/// exec'd compiler whose CPU time is log-normal (many short files, a long tail), an archive per directory and a
/// final link; cold-cache reads go to virtio-blk.
/// </summary>
public sealed record KbuildConfig(int Jobs, int Files, int Dirs, double CompileMedianMs, double CompileSigma,
    double ArchiveMs, double LinkMs, double MakeOverheadUs, double ReadMiss, int ReadsPerMiss, double DiskLatencyUs,
    double DiskSigma, double IrqbalanceMs, double SyncCallPerJob)
{
    public static readonly IReadOnlyList<ParameterSpec> Specs =
    [
        ParameterSpec.Int("jobs", 0, 0, 4096, "make -j: job slots in the jobserver (0: as many as vCPUs)"),
        ParameterSpec.Int("files", 240, 1, 100_000, "C files to compile"),
        ParameterSpec.Int("dirs", 8, 1, 1000, "directories, each built by a sub-make that ends with an archive (built-in.a)"),
        ParameterSpec.Real("compile_median_ms", 60, 0.01, 100_000, "median CPU time of one cc1+as job (assumption: kernel .c files at -O2 on an N1-class core)"),
        ParameterSpec.Real("compile_sigma", 0.8, 0, 3, "log-normal shape of compile CPU time (assumption: a long tail of large files)"),
        ParameterSpec.Real("archive_ms", 5, 0, 100_000, "CPU time of one directory's ar"),
        ParameterSpec.Real("link_ms", 400, 0, 1_000_000, "CPU time of the final vmlinux link"),
        ParameterSpec.Real("make_overhead_us", 200, 0, 1_000_000, "make's own work per job: dependency checks and command expansion"),
        ParameterSpec.Real("read_miss", 0.2, 0, 1, "probability that a job misses the page cache and reads from disk"),
        ParameterSpec.Int("reads_per_miss", 4, 1, 1000, "virtio-blk reads of a job that misses"),
        ParameterSpec.Real("disk_latency_us", 80, 1, 1_000_000, "median virtio-blk read latency in the VMM's backing store"),
        ParameterSpec.Real("disk_sigma", 0.5, 0, 3, "log-normal shape of the read latency"),
        ParameterSpec.Real("irqbalance_ms", 500, 1, 1_000_000, "irqbalance's interval (the daemon's default is 10 s; shorter so that a short build sees moves)"),
        ParameterSpec.Real("sync_call_per_job", 0.02, 0, 1, "probability that a job makes one smp_call_function(wait) to all vCPUs (assumption: the occasional call-function IPIs of costs.md §4)"),
        .. KernelConfig.Specs,
    ];

    public static KbuildConfig From(WorkloadParameters p, int vcpus) => new(
        p.GetInt("jobs") is 0 ? vcpus : p.GetInt("jobs"), p.GetInt("files"), p.GetInt("dirs"),
        p.GetDouble("compile_median_ms"), p.GetDouble("compile_sigma"), p.GetDouble("archive_ms"), p.GetDouble("link_ms"),
        p.GetDouble("make_overhead_us"), p.GetDouble("read_miss"), p.GetInt("reads_per_miss"),
        p.GetDouble("disk_latency_us"), p.GetDouble("disk_sigma"), p.GetDouble("irqbalance_ms"), p.GetDouble("sync_call_per_job"));
}
