using CsvHelper;
using HdrHistogram;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Metrics;

namespace IrqBench.Harness.Output;

/// <summary>One row of latency_stages.csv: for one run, one kind of interrupt and one stage of its delivery
/// (<see cref="LatencyStage"/>: the sender's trap, the kick in flight, the receiver's exit and host work, the
/// injection, the wait while pending, the guest's exception to acknowledge), the interrupts delivered and the stage's
/// mean and percentiles from the run's HdrHistograms, in ns. The stages of one interrupt add up to its latency, so the
/// means of a kind add up to the mean of latency.csv's distribution.</summary>
[CsvRecord]
public partial record LatencyStageRow
{
    [CsvColumn("run")] public string Run { get; init; } = "";
    [CsvColumn("kind")] public string Kind { get; init; } = "";
    [CsvColumn("stage")] public string Stage { get; init; } = "";
    [CsvColumn("interrupts")] public long Interrupts { get; init; }
    [CsvColumn("mean_ns")] public double MeanNs { get; init; }
    [CsvColumn("p50_ns")] public double P50Ns { get; init; }
    [CsvColumn("p90_ns")] public double P90Ns { get; init; }
    [CsvColumn("p99_ns")] public double P99Ns { get; init; }
    [CsvColumn("max_ns")] public double MaxNs { get; init; }

    public static IEnumerable<LatencyStageRow> From(string runId, MetricSet m, CostProfile p)
    {
        foreach (var k in IrqKinds.All)
        {
            long n = m.IrqLatencyOf(k).Count;
            if (n == 0) continue;
            foreach (var s in LatencyStages.All)
            {
                var h = m.Stages.Of(k, s);
                yield return new LatencyStageRow
                {
                    Run = runId, Kind = k.Name(), Stage = s.Name(), Interrupts = n,
                    MeanNs = RunRow.Round(p.CyclesToNs((double)m.Stages.TotalCycles(k, s) / n)),
                    P50Ns = RunRow.Round(p.CyclesToNs(h.GetValueAtPercentile(50))), P90Ns = RunRow.Round(p.CyclesToNs(h.GetValueAtPercentile(90))),
                    P99Ns = RunRow.Round(p.CyclesToNs(h.GetValueAtPercentile(99))), MaxNs = RunRow.Round(p.CyclesToNs(h.GetMaxValue())),
                };
            }
        }
    }
}
