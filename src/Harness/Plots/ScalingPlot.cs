using IrqBench.Harness.Report;
using IrqBench.Harness.Stats;

namespace IrqBench.Harness.Plots;

/// <summary>Throughput against vCPU count for one workload, a line per controller, with 95 % CI whiskers.</summary>
public static class ScalingPlot
{
    public static RenderedPlot? Render(ComparisonData d, WorkloadCase c, string dir)
    {
        var vcpus = d.VcpusOf(c);
        if (vcpus.Count == 0) return null;
        var plt = PlotKit.NewPlot($"{c.Label}: throughput against vCPU count (median over seeds, 95% CI)", "vCPUs", $"throughput ({c.WorkUnit}s per simulated second)");
        // Categorical x positions: the suite's vCPU counts grow geometrically, so even spacing reads like a log axis.
        double[] xs = Enumerable.Range(0, vcpus.Count).Select(i => (double)i).ToArray();
        int k = 0;
        foreach (var ctl in d.Controllers)
        {
            var rows = vcpus.Select(v => d.Get(ctl, c, v, RunMetric.Throughput.Name)).ToList();
            if (rows.All(r => r is null)) continue;
            var colour = PlotKit.ControllerColour(ctl, k++);
            var pts = rows.Select((r, i) => (X: xs[i], R: r)).Where(p => p.R is not null).ToList();
            var line = plt.Add.Scatter(pts.Select(p => p.X).ToArray(), pts.Select(p => p.R!.Median).ToArray(), colour);
            line.LegendText = ctl;
            line.LineWidth = 2;
            line.MarkerSize = 7;
            foreach (var p in pts) PlotKit.Whisker(plt, p.X, p.R!.CiLower, p.R!.CiUpper, cap: 0.05, colour: colour);
        }
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(xs, vcpus.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plt.Axes.SetLimitsX(-0.3, vcpus.Count - 0.7);
        plt.ShowLegend(ScottPlot.Edge.Right);
        return new RenderedPlot(PlotKit.Save(plt, dir, $"scaling-{c.FileStem}"),
            $"{c.Label}: {c.WorkUnit}s per simulated second at each vCPU count; whiskers: 95% CI of the median over seeds. Numbers: summary.csv, metric throughput_per_s.");
    }
}
