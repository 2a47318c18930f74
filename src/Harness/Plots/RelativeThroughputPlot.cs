using System.Globalization;
using IrqBench.Harness.Report;
using IrqBench.Harness.Stats;
using ScottPlot;

namespace IrqBench.Harness.Plots;

/// <summary>Throughput relative to the ideal controller against the vCPU count, one figure per workload with a panel
/// per organisation: 1 is the bound, and the gap below it is what a design's interrupt handling costs. Each point is
/// ideal's time per unit over the design's, the reciprocal of the paired ratio design / ideal, with its 95 %
/// interval; the vCPU axis is log2.</summary>
public static class RelativeThroughputPlot
{
    public static void Render(ComparisonData d, string dir, PlotSet plots)
    {
        foreach (var workload in d.Cases.Select(c => c.Workload).Distinct())
        {
            var cases = d.Cases.Where(c => c.Workload == workload).ToList();
            if (!cases.Any(c => d.ControllersOf(c).Contains(Summarizer.Ideal)))
            {
                plots.Skip($"{workload}, throughput relative to ideal: the ideal controller did not run");
                continue;
            }
            if (cases.All(c => d.VcpusOf(c).Count < 2))
            {
                plots.Skip($"{workload}, throughput relative to ideal against vCPUs: one vCPU count only ({string.Join(", ", cases.SelectMany(d.VcpusOf).Distinct())})");
                continue;
            }
            var panels = cases.Where(c => d.ControllersOf(c).Contains(Summarizer.Ideal)).Select(c => (Panel(d, c), 1.0)).ToList();
            string unit = cases[0].WorkUnit;
            plots.Add(new RenderedPlot(PlotKit.SavePanels(panels, dir, $"throughput-vs-ideal-{PlotKit.FileStem(workload)}", Math.Max(PlotKit.Width, 420 * panels.Count)),
                $"{workload}: throughput ({unit}s per simulated second) relative to the ideal controller at each vCPU count, per organisation; " +
                $"1 is the bound. Points: 1 / the {PairedRatio.EstimateName} of time per {unit}, design against ideal; bars: its 95 % interval. " +
                "Numbers: runs.csv (sim_ns, work_units), summary.csv ratio_vs_ideal of ns_per_unit."));
        }
    }

    private static Plot Panel(ComparisonData d, WorkloadCase c)
    {
        var vcpus = d.VcpusOf(c);
        var plt = PlotKit.NewPlot(c.Profile.Title, "vCPUs (log2 scale)", "throughput relative to ideal");
        var designs = d.ControllersOf(c).Where(x => x != Summarizer.Ideal).ToList();
        for (int i = 0; i < designs.Count; i++)
        {
            string ctl = designs[i];
            var colour = PlotKit.ControllerColour(ctl);
            // Designs side by side at each vCPU count (a few hundredths of a doubling), so their bars do not hide each other.
            double dodge = (i - (designs.Count - 1) / 2.0) * 0.05;
            var pts = vcpus.Select(v => (X: Math.Log2(v) + dodge, R: d.Ratio(ctl, Summarizer.Ideal, c, v, RunMetric.NsPerUnit.Read))).Where(p => p.R is not null).ToList();
            if (pts.Count == 0) continue;
            double[] xs = pts.Select(p => p.X).ToArray(), ys = pts.Select(p => 1 / p.R!.Ratio).ToArray();
            var line = plt.Add.Scatter(xs, ys, colour);
            line.LegendText = ctl;
            line.LineWidth = 2;
            line.MarkerSize = 7;
            // Relative throughput is 1 / ratio, so the interval's ends swap.
            double[] none = new double[xs.Length];
            var err = new ScottPlot.Plottables.ErrorBar(xs, ys, none, none,
                [.. pts.Select((p, i) => p.R!.Lower is { } lo ? 1 / lo - ys[i] : 0)], [.. pts.Select((p, i) => p.R!.Upper is { } hi ? ys[i] - 1 / hi : 0)]) { Color = colour };
            plt.Add.Plottable(err);
        }
        plt.Add.HorizontalLine(1, 1, Colors.Black);
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(vcpus.Select(v => Math.Log2(v)).ToArray(),
            vcpus.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray());
        plt.Axes.SetLimitsX(Math.Log2(vcpus[0]) - 0.4, Math.Log2(vcpus[^1]) + 0.4);
        plt.ShowLegend(Alignment.LowerLeft);
        return plt;
    }
}
