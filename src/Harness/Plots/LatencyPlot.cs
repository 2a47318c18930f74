using System.Globalization;
using IrqBench.Harness.Report;
using IrqBench.Harness.Stats;

namespace IrqBench.Harness.Plots;

/// <summary>Interrupt latency (raised → acknowledged by the guest) at the largest vCPU count: p50, p99 and max per
/// controller, each the median over seeds.</summary>
public static class LatencyPlot
{
    private static readonly (string Name, string Metric)[] Stats =
        [("p50", "irq_latency_p50_ns"), ("p99", "irq_latency_p99_ns"), ("max", "irq_latency_max_ns")];

    public static RenderedPlot? Render(ComparisonData d, WorkloadCase c, string dir)
    {
        var vcpus = d.VcpusOf(c);
        var controllers = d.ControllersOf(c);
        if (vcpus.Count == 0 || controllers.Count == 0) return null;
        int v = vcpus[^1];
        var plt = PlotKit.NewPlot($"{c.Label}, {v} vCPUs: interrupt latency, raise to acknowledge (median over seeds, 95% CI)", "controller", "latency (µs)");
        PlotKit.GroupedBars(plt, controllers,
            Stats.Select((s, i) => (s.Name, PlotKit.SeriesColour(i))).ToList(),
            (g, i) => d.Get(controllers[g], c, v, Stats[i].Metric) is { } s ? (s.Median / 1000, s.CiLower / 1000, s.CiUpper / 1000) : null,
            m => m.ToString(m < 10 ? "0.##" : "0", CultureInfo.InvariantCulture));
        plt.ShowLegend(ScottPlot.Edge.Right);
        return new RenderedPlot(PlotKit.Save(plt, dir, $"latency-{c.FileStem}"),
            $"{c.Label} at {v} vCPUs: p50, p99 and maximum interrupt latency of each run (raised until the guest acknowledges it), median over seeds, in µs. " +
            "Numbers: summary.csv, metrics irq_latency_p50_ns, irq_latency_p99_ns, irq_latency_max_ns.");
    }
}
