using System.Globalization;
using IrqBench.Harness.Report;
using IrqBench.Harness.Stats;
using ScottPlot;

namespace IrqBench.Harness.Plots;

/// <summary>Guest exits per work unit, stacked by exit reason, one bar per design and vCPU count, per workload and
/// organisation: where the traps are. Exit reasons have their own colour-blind-safe palette
/// (<see cref="ExitKindColours"/>), distinct from the designs' colours.</summary>
public static class ExitsPlot
{
    public static void Render(ComparisonData d, string dir, PlotSet plots)
    {
        foreach (var c in d.Cases)
        {
            var vcpus = d.VcpusOf(c);
            var controllers = d.ControllersOf(c);
            double Median(string ctl, int v, Func<Output.RunRow, double> read) =>
                d.RunsOf(ctl, c, v) is { Count: > 0 } runs ? MedianEstimate.Of(runs.Select(r => RunMetric.PerUnit(r, read(r))).ToList()).Median : 0;
            double max = vcpus.SelectMany(v => controllers.Select(ctl => Median(ctl, v, r => r.ExitsTotal))).DefaultIfEmpty(0).Max();
            if (max == 0)
            {
                plots.Skip($"{c.Label}, exits by reason: no design exited in the measured window");
                continue;
            }
            var (factor, per) = PerUnitScale(max, c.WorkUnit);
            var plt = PlotKit.NewPlot($"{c.Label}: guest exits per {per}, by reason (median over seeds)", "design and vCPU count", $"exits per {per}");
            var bars = new List<Bar>();
            var ticks = new List<(double, string)>();
            var present = new HashSet<string>(StringComparer.Ordinal);
            for (int g = 0; g < vcpus.Count; g++)
                for (int i = 0; i < controllers.Count; i++)
                {
                    double x = g * (controllers.Count + 1) + i, bottom = 0;
                    foreach (var (kind, read) in RunMetric.ExitKinds)
                    {
                        double v = factor * Median(controllers[i], vcpus[g], r => read(r));
                        if (v <= 0) continue;
                        bars.Add(new Bar { Position = x, ValueBase = bottom, Value = bottom + v, FillColor = ExitKindColours.Of(kind), Size = 0.85 });
                        present.Add(kind);
                        bottom += v;
                    }
                    ticks.Add((x, $"{controllers[i]}\n{vcpus[g]} vCPUs"));
                }
            // Only the reasons that occur, so the legend explains what is drawn and nothing else.
            int width = PlotKit.FinishStackedBars(plt, bars,
                RunMetric.ExitKinds.Where(k => present.Contains(k.Kind)).Select(k => (k.Kind, ExitKindColours.Of(k.Kind))), ticks);
            plots.Add(new RenderedPlot(PlotKit.Save(plt, dir, $"exits-{c.FileStem}", width),
                string.Create(CultureInfo.InvariantCulture, $"{c.Label}: exits per {per} by reason; each segment is the median over seeds of that reason's count divided by the {c.WorkUnit}s done. ") +
                "The time they take is in the exits table above. Numbers: runs.csv columns exits_* and work_units."));
        }
    }

    /// <summary>Counts per work unit can be tiny (a wake-up every few thousand messages): scales them to per thousand or
    /// per million units so the axis reads "0.15 per 1,000 messages", not "1.5E-04".</summary>
    private static (double Factor, string Per) PerUnitScale(double max, string unit) =>
        max >= 0.1 ? (1, unit) : max * 1000 >= 0.1 ? (1000, $"1,000 {unit}s") : (1e6, $"million {unit}s");
}
