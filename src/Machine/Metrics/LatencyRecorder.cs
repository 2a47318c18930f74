namespace IrqBench.Machine.Metrics;

/// <summary>
/// Interrupt latencies in cycles (raised → the guest acknowledges it). Keeps every sample so that percentiles are
/// exact (nearest-rank); the buffer doubles as it grows, so recording allocates only O(log n) times per run.
/// </summary>
public sealed class LatencyRecorder
{
    private long[] samples = new long[1024];

    public int Count { get; private set; }

    public void Record(long cycles)
    {
        if (cycles < 0) throw new ArgumentOutOfRangeException(nameof(cycles), cycles, "latency cannot be negative");
        if (Count == samples.Length) Array.Resize(ref samples, samples.Length * 2);
        samples[Count++] = cycles;
    }

    /// <summary>Forgets the samples and keeps the buffer (host benchmarks that run one VM for millions of deliveries).</summary>
    public void Clear() => Count = 0;

    /// <summary>Nearest-rank percentile (p in (0,100]); 0 when there are no samples.</summary>
    public long Percentile(double p)
    {
        if (Count == 0) return 0;
        var sorted = samples.AsSpan(0, Count).ToArray();
        Array.Sort(sorted);
        int rank = (int)Math.Ceiling(p / 100.0 * Count);
        return sorted[Math.Clamp(rank, 1, Count) - 1];
    }

    public long Max => Count == 0 ? 0 : samples.AsSpan(0, Count).ToArray().Max();

    public ReadOnlySpan<long> Samples => samples.AsSpan(0, Count);
}
