using CsvHelper;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Metrics;

namespace IrqBench.Harness.Output;

/// <summary>One row of latency.csv: one quantile of one run's interrupt latency (raised → acknowledged by the guest)
/// for one kind of interrupt, in ns. Fixed quantiles, nearest rank as the machine's recorder defines them, and the
/// maximum (quantile 1): enough to draw the distribution again from the file (<c>irqbench report</c>). Kinds with no
/// delivery have no rows.</summary>
[CsvRecord]
public partial record LatencyRow
{
    /// <summary>Deciles, and denser in the tails, where controllers differ (a kick, a wake-up of a halted vCPU).</summary>
    public static readonly IReadOnlyList<double> Quantiles = [0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999, 1];

    [CsvColumn("run")] public string Run { get; init; } = "";
    [CsvColumn("kind")] public string Kind { get; init; } = "";
    [CsvColumn("samples")] public int Samples { get; init; }
    [CsvColumn("quantile")] public double Quantile { get; init; }
    [CsvColumn("ns")] public double Ns { get; init; }

    public static IEnumerable<LatencyRow> From(string runId, MetricSet m, CostProfile profile) =>
        from kind in IrqKinds.All
        let rec = m.IrqLatencyOf(kind)
        where rec.Count > 0
        from q in Quantiles
        select new LatencyRow
        {
            Run = runId, Kind = kind.Name(), Samples = rec.Count, Quantile = q,
            Ns = RunRow.Round(profile.CyclesToNs(q == 1 ? rec.Max : rec.Percentile(q * 100))),
        };
}
