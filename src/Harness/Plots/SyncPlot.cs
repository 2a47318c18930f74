using IrqBench.Harness.Report;
using IrqBench.Harness.Stats;

namespace IrqBench.Harness.Plots;

/// <summary>Cross-CPU synchronisation per work unit at the largest vCPU count: kicks, wake-ups of halted vCPUs,
/// stop-the-world halts and contended lock acquisitions, one bar per controller.</summary>
public static class SyncPlot
{
    public static RenderedPlot? Render(ComparisonData d, WorkloadCase c, string dir)
    {
        var vcpus = d.VcpusOf(c);
        var controllers = d.ControllersOf(c);
        if (vcpus.Count == 0 || controllers.Count == 0) return null;
        int v = vcpus[^1];
        double? Value(int g, int i) => d.MedianOf(controllers[i], c, v, r => RunMetric.PerUnit(r, RunMetric.SyncEvents[g].Read(r)));
        double max = Enumerable.Range(0, RunMetric.SyncEvents.Count).SelectMany(g => controllers.Select((_, i) => Value(g, i) ?? 0)).Max();
        var (factor, per) = PlotKit.PerUnitScale(max, c.WorkUnit);
        var plt = PlotKit.NewPlot($"{c.Label}, {v} vCPUs: cross-CPU synchronisation per {per} (median over seeds)", "event", $"events per {per}");
        PlotKit.GroupedBars(plt, RunMetric.SyncEvents.Select(e => e.Name).ToList(),
            controllers.Select((ctl, i) => (ctl, PlotKit.ControllerColour(ctl, i))).ToList(),
            (g, i) => Value(g, i) is { } m ? (m * factor, null, null) : null,
            m => m == 0 ? "0" : m.ToString(m < 0.01 ? "0.####" : "0.###", System.Globalization.CultureInfo.InvariantCulture));
        plt.ShowLegend(ScottPlot.Edge.Right);
        return new RenderedPlot(PlotKit.Save(plt, dir, $"sync-{c.FileStem}"),
            $"{c.Label} at {v} vCPUs: kicks (physical IPIs forcing an exit), wake-ups of halted vCPUs, stop-the-world halts (halt_all) and contended lock acquisitions, " +
            $"per {per}. Numbers: runs.csv columns kicks, wakeups, halt_all, lock_contended and work_units.");
    }
}
