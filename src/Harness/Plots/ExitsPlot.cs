using System.Globalization;
using IrqBench.Harness.Report;
using IrqBench.Harness.Stats;
using ScottPlot;

namespace IrqBench.Harness.Plots;

/// <summary>Guest exits per work unit, stacked by exit kind, one bar per controller and vCPU count: where the time
/// goes.</summary>
public static class ExitsPlot
{
    public static RenderedPlot? Render(ComparisonData d, WorkloadCase c, string dir)
    {
        var vcpus = d.VcpusOf(c);
        var controllers = d.ControllersOf(c);
        if (vcpus.Count == 0 || controllers.Count == 0) return null;
        double max = vcpus.SelectMany(v => controllers.Select(ctl => d.MedianOf(ctl, c, v, r => RunMetric.PerUnit(r, r.ExitsTotal)) ?? 0)).Max();
        var (factor, per) = PlotKit.PerUnitScale(max, c.WorkUnit);
        var plt = PlotKit.NewPlot($"{c.Label}: guest exits per {per}, by kind (median over seeds)", "controller and vCPU count", $"exits per {per}");
        var bars = new List<Bar>();
        var ticks = new List<(double, string)>();
        for (int g = 0; g < vcpus.Count; g++)
            for (int i = 0; i < controllers.Count; i++)
            {
                double x = g * (controllers.Count + 1) + i, bottom = 0;
                for (int k = 0; k < RunMetric.ExitKinds.Count; k++)
                {
                    var read = RunMetric.ExitKinds[k].Read;
                    double v = factor * (d.MedianOf(controllers[i], c, vcpus[g], r => RunMetric.PerUnit(r, read(r))) ?? 0);
                    if (v > 0) bars.Add(new Bar { Position = x, ValueBase = bottom, Value = bottom + v, FillColor = PlotKit.SeriesColour(k), Size = 0.85 });
                    bottom += v;
                }
                ticks.Add((x, $"{controllers[i]}\n{vcpus[g]} vCPUs"));
            }
        plt.Add.Bars(bars);
        // Only the kinds that occur, so the legend explains what is drawn and nothing else.
        var present = bars.Select(b => b.FillColor).ToHashSet();
        for (int k = 0; k < RunMetric.ExitKinds.Count; k++)
            if (present.Contains(PlotKit.SeriesColour(k)))
                plt.Legend.ManualItems.Add(new LegendItem { LabelText = RunMetric.ExitKinds[k].Kind, FillColor = PlotKit.SeriesColour(k) });
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.Select(t => t.Item1).ToArray(), ticks.Select(t => t.Item2).ToArray());
        plt.Axes.Bottom.MajorTickStyle.Length = 0;
        plt.Axes.Margins(bottom: 0, top: 0.1);
        plt.ShowLegend(Edge.Right);
        return new RenderedPlot(PlotKit.Save(plt, dir, $"exits-{c.FileStem}", pixelsPerSlot: 80),
            string.Create(CultureInfo.InvariantCulture, $"{c.Label}: exits per {per} by kind (each segment is the median over seeds of that kind's count divided by the {c.WorkUnit}s done). ") +
            "Numbers: runs.csv columns exits_* and work_units.");
    }
}
