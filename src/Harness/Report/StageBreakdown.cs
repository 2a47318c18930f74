using IrqBench.Harness.Output;
using IrqBench.Machine.Metrics;

namespace IrqBench.Harness.Report;

/// <summary>Where one design's interrupts of one kind spend their latency in one scenario, over all its seeds: each
/// stage's mean per interrupt (the runs' stage means, weighted by their interrupts), from latency_stages.csv.</summary>
public sealed record StageBreakdown(string Controller, string Kind, long Interrupts, IReadOnlyList<(string Stage, double MeanNs)> Stages)
{
    public double TotalNs => Stages.Sum(s => s.MeanNs);

    public static IReadOnlyList<string> StageNames { get; } = LatencyStages.All.Select(s => s.Name()).ToList();

    /// <summary>The kinds with deliveries in these runs, in <see cref="IrqKinds.All"/>'s order.</summary>
    public static IReadOnlyList<string> KindsIn(ComparisonData d, IEnumerable<RunRow> runs)
    {
        var present = runs.SelectMany(r => d.StagesOf(r)).Select(s => s.Kind).ToHashSet(StringComparer.Ordinal);
        return IrqKinds.All.Select(k => k.Name()).Where(present.Contains).ToList();
    }

    public static StageBreakdown? Of(ComparisonData d, string controller, IReadOnlyList<RunRow> runs, string kind)
    {
        var rows = runs.SelectMany(r => d.StagesOf(r)).Where(s => s.Kind == kind).ToList();
        if (rows.Count == 0) return null;
        var byRun = rows.GroupBy(s => s.Run).ToList();
        long n = byRun.Sum(g => g.First().Interrupts);
        var stages = StageNames.Select(stage => (stage, rows.Where(s => s.Stage == stage).Sum(s => s.MeanNs * s.Interrupts) / n)).ToList();
        return new StageBreakdown(controller, kind, n, stages);
    }
}
