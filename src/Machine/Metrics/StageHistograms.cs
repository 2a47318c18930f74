using HdrHistogram;

namespace IrqBench.Machine.Metrics;

/// <summary>
/// Per interrupt kind and latency stage: the cycles spent, as a total counter
/// (<c>latency_stage_cycles.KIND.STAGE</c>, so counters.csv and measured windows carry it) and as an HdrHistogram
/// (HdrHistogram.NET, 3 significant digits from 1 cycle to 10^11) for percentiles, .hgrm export and plots.
/// </summary>
public sealed class StageHistograms
{
    /// <summary>The histograms' range: up to 10^11 cycles (over 10 s at the fastest clock a profile may have).</summary>
    public const long HighestTrackable = 100_000_000_000;

    private readonly LongHistogram[] histograms;
    private readonly Counter[] totals;

    internal StageHistograms(MetricSet m)
    {
        int n = IrqKinds.All.Count * LatencyStages.All.Count;
        histograms = new LongHistogram[n];
        totals = new Counter[n];
        foreach (var k in IrqKinds.All)
            foreach (var s in LatencyStages.All)
            {
                histograms[Index(k, s)] = new LongHistogram(HighestTrackable, 3);
                totals[Index(k, s)] = m.Get($"latency_stage_cycles.{k.Name()}.{s.Name()}");
            }
    }

    private static int Index(IrqKind k, LatencyStage s) => (int)k * LatencyStages.All.Count + (int)s;

    public LongHistogram Of(IrqKind kind, LatencyStage stage) => histograms[Index(kind, stage)];
    public long TotalCycles(IrqKind kind, LatencyStage stage) => totals[Index(kind, stage)].Value;

    internal void Record(IrqKind kind, ReadOnlySpan<long> stages)
    {
        for (int s = 0; s < stages.Length; s++)
        {
            int i = (int)kind * LatencyStages.All.Count + s;
            totals[i].Value += stages[s];
            histograms[i].RecordValue(Math.Min(stages[s], HighestTrackable));
        }
    }

    /// <summary>Forgets the histograms (a measured window opens); the totals are counters and are differenced.</summary>
    public void ResetHistograms()
    {
        foreach (var h in histograms) h.Reset();
    }

    public void CopyHistogramsFrom(StageHistograms other)
    {
        for (int i = 0; i < histograms.Length; i++)
        {
            histograms[i].Reset();
            histograms[i].Add(other.histograms[i]);
        }
    }
}
