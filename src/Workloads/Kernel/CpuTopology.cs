namespace IrqBench.Workloads.Kernel;

/// <summary>
/// What the guest's scheduler knows of its vCPUs' caches: consecutive groups of <see cref="LlcSize"/> vCPUs share a
/// last-level cache, the span of the sd_llc domain (the MC domain that cpu_coregroup_mask builds). Two vCPUs share
/// it when cpus_share_cache says so (equal sd_llc_id).
/// </summary>
public sealed class CpuTopology(int cpus, int llcSize)
{
    public int Cpus { get; } = cpus;

    /// <summary>vCPUs per LLC; all of them when the configuration says 0 or more than there are.</summary>
    public int LlcSize { get; } = llcSize <= 0 || llcSize > cpus ? cpus : llcSize;

    /// <summary>cpus_share_cache: a CPU always shares with itself.</summary>
    public bool SharesCache(int a, int b) => a == b || a / LlcSize == b / LlcSize;

    /// <summary>The first vCPU of <paramref name="cpu"/>'s LLC and how many it has (sd_llc's span, sd_llc_size).</summary>
    public (int First, int Count) Llc(int cpu)
    {
        int first = cpu / LlcSize * LlcSize;
        return (first, Math.Min(LlcSize, Cpus - first));
    }
}
