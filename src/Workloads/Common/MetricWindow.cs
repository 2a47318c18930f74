using IrqBench.Machine.Metrics;

namespace IrqBench.Workloads.Common;

/// <summary>
/// The counters of a measured interval: a snapshot when it opens, the differences when it closes. Workloads whose
/// result excludes set-up (hackbench times from the start byte to the last reap) report their counters over the same
/// interval, so that exits per second and time agree.
/// </summary>
public sealed class MetricWindow
{
    private readonly Dictionary<string, long> start = new(StringComparer.Ordinal);
    private readonly int latencyStart;

    private MetricWindow(MetricSet m)
    {
        foreach (var c in m.All) start[c.Name] = c.Value;
        latencyStart = m.IrqLatency.Count;
    }

    public static MetricWindow Open(MetricSet m) => new(m);

    /// <summary>A new set holding what happened since <see cref="Open"/>.</summary>
    public MetricSet Close(MetricSet m)
    {
        var d = new MetricSet();
        foreach (var c in m.All) d.Get(c.Name).Value = c.Value - start.GetValueOrDefault(c.Name);
        var samples = m.IrqLatency.Samples;
        for (int i = latencyStart; i < samples.Length; i++) d.IrqLatency.Record(samples[i]);
        return d;
    }
}
