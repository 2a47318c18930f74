using System.Globalization;
using IrqBench.Harness.Report;
using ScottPlot;

namespace IrqBench.Harness.Plots;

/// <summary>The kvm-unit-tests micro-bench table as bars: the model's average ns per operation per controller and
/// test, on a log axis (they span 10 ns to 10 µs), with the published figure of the profile's machine as a black
/// bar beside them where one exists.</summary>
public static class MicrobenchPlot
{
    public static RenderedPlot? Render(ComparisonData d, string dir)
    {
        var rows = d.Microbench.Where(m => m.Skipped.Length == 0 && m.AvgNs > 0).ToList();
        if (rows.Count == 0) return null;
        var tests = rows.Select(r => r.Test).Distinct().ToList();
        var controllers = rows.Select(r => r.Controller).Distinct().Order(Stats.ControllerOrder.Instance).ToList();
        var series = controllers.Select((c, i) => (c, PlotKit.ControllerColour(c, i))).ToList();
        series.Add(("published", Colors.Black));
        string profiles = string.Join(", ", rows.Select(r => r.Profile).Distinct());

        var plt = PlotKit.NewPlot($"Micro-benchmarks: model against published ({profiles}), average per operation", "test", "ns per operation (log scale)");
        PlotKit.GroupedBars(plt, tests, series, (g, i) =>
        {
            double? ns = i < controllers.Count
                ? rows.FirstOrDefault(r => r.Test == tests[g] && r.Controller == controllers[i])?.AvgNs
                : rows.Where(r => r.Test == tests[g]).Select(r => r.PublishedNs).FirstOrDefault(p => p is > 0);
            return ns is > 0 ? (Math.Log10(ns.Value), null, null) : null;
        }, lg => Math.Pow(10, lg).ToString("0", CultureInfo.InvariantCulture));
        // Log axis by hand: bars hold log10(ns); ticks are labelled with the ns they stand for.
        double top = Math.Ceiling(rows.Max(r => Math.Log10(Math.Max(r.AvgNs, r.PublishedNs ?? 0))) + 0.3);
        var decades = Enumerable.Range(0, (int)top + 1).Select(e => (double)e).ToArray();
        plt.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(decades, decades.Select(e => Math.Pow(10, e).ToString("#,0", CultureInfo.InvariantCulture)).ToArray());
        plt.Axes.SetLimitsY(0, top);
        plt.ShowLegend(Edge.Right);
        return new RenderedPlot(PlotKit.Save(plt, dir, "microbench", pixelsPerSlot: 34),
            "Average ns per operation of each kvm-unit-tests micro-benchmark in the model, per controller, beside the published measurement " +
            "for the profile's machine (black) where reference/costs.md has one. Numbers: microbench.csv (avg_ns, published_ns, ratio).");
    }
}
