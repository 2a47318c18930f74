using System.Globalization;
using IrqBench.Harness.Output;
using IrqBench.Harness.Report;
using ScottPlot;

namespace IrqBench.Harness.Plots;

/// <summary>The micro-benchmarks per profile as a dot plot: a row per test, a dot per design at its ns per operation
/// on a log axis (they span 10 ns to 10 µs). Beside it, the calibration panel: model / published for the design the
/// published figure was measured on (<see cref="MicrobenchRow.PublishedDesign"/>) only, against 1. Other designs are
/// never divided by a GICv3 measurement.</summary>
public static class MicrobenchPlot
{
    public static void Render(ComparisonData d, string dir, PlotSet plots)
    {
        foreach (var p in d.Profiles)
        {
            var all = d.Microbench.Where(p.Is).ToList();
            var rows = all.Where(m => m.Skipped.Length == 0 && m.AvgNs > 0).ToList();
            if (rows.Count == 0) continue;
            // kvm-unit-tests' order, as microbench.csv lists each design's tests (skipped ones included).
            var tests = all.Select(r => r.Test).Distinct().Where(t => rows.Any(r => r.Test == t)).ToList();
            var calibration = rows.Where(r => r.IsCalibration).ToList();
            var panels = new List<(Plot, double)> { (Dots(d, p, rows, tests), 0.68) };
            if (calibration.Count > 0) panels.Add((Calibration(calibration, tests), 0.32));
            else plots.Skip($"{p.Label}, micro-benchmark calibration panel: no published figure for {MicrobenchRow.PublishedDesign} on this profile's machine");
            plots.Add(new RenderedPlot(PlotKit.SavePanels(panels, dir, $"microbench-{PlotKit.FileStem(p.Label)}", 1200, Math.Max(380, 140 + 45 * tests.Count)),
                $"{p.Title}: average ns per operation of each kvm-unit-tests micro-benchmark in the model, per design (log axis); black rings: the " +
                $"published measurement, which is of KVM's GICv3 emulation. Right: model / published for {MicrobenchRow.PublishedDesign} only — the " +
                "calibration. Numbers: microbench.csv (avg_ns, published_ns, ratio, published_source)."));
        }
    }

    private static Plot Dots(ComparisonData d, ProfileInfo p, List<MicrobenchRow> rows, List<string> tests)
    {
        var plt = PlotKit.NewPlot($"{p.Label}: micro-benchmarks", "ns per operation (log scale)", "");
        var designs = rows.Select(r => r.Controller).Distinct().Order(Stats.ControllerOrder.Instance).ToList();
        for (int i = 0; i < designs.Count; i++)
        {
            // Designs one above the other within a test's row (the first on top), so that equal costs do not hide each other.
            double offset = ((designs.Count - 1) / 2.0 - i) * 0.12;
            var mine = rows.Where(r => r.Controller == designs[i]).ToList();
            var m = plt.Add.Markers(mine.Select(r => Math.Log10(r.AvgNs)).ToArray(), mine.Select(r => Y(tests, r.Test) + offset).ToArray(),
                MarkerShape.FilledCircle, 9, PlotKit.ControllerColour(designs[i]));
            m.LegendText = designs[i];
        }
        var published = rows.Where(r => r.IsCalibration).ToList();
        if (published.Count > 0)
        {
            var pub = plt.Add.Markers(published.Select(r => Math.Log10(r.PublishedNs!.Value)).ToArray(), published.Select(r => (double)Y(tests, r.Test)).ToArray(),
                MarkerShape.OpenCircle, 15, Colors.Black);
            pub.LegendText = $"published ({MicrobenchRow.PublishedDesign})";
        }
        TestAxis(plt, tests);
        PlotKit.LogAxis(plt.Axes.Bottom, ns => ns.ToString("#,0", CultureInfo.InvariantCulture));
        PlotKit.DecadeLimitsX(plt, rows.Select(r => r.AvgNs).Concat(published.Select(r => r.PublishedNs!.Value)).Select(Math.Log10));
        plt.ShowLegend(Edge.Right);
        return plt;
    }

    private static Plot Calibration(List<MicrobenchRow> rows, List<string> tests)
    {
        var plt = PlotKit.NewPlot($"calibration: {MicrobenchRow.PublishedDesign}", "model / published (log scale)", "");
        plt.Add.VerticalLine(0, 1, Colors.Gray);
        plt.Add.Markers(rows.Select(r => Math.Log10(r.Ratio!.Value)).ToArray(), rows.Select(r => (double)Y(tests, r.Test)).ToArray(),
            MarkerShape.FilledDiamond, 10, PlotKit.ControllerColour(MicrobenchRow.PublishedDesign));
        double lo = Math.Min(0.8, rows.Min(r => r.Ratio!.Value)), hi = Math.Max(1.25, rows.Max(r => r.Ratio!.Value));
        PlotKit.RatioAxis(plt.Axes.Bottom, lo, hi, maxTicks: 4);
        plt.Axes.SetLimitsX(Math.Log10(lo) - 0.03, Math.Log10(hi) + 0.03);
        TestAxis(plt, tests);
        return plt;
    }

    private static int Y(List<string> tests, string test) => tests.Count - 1 - tests.IndexOf(test);

    private static void TestAxis(Plot plt, List<string> tests)
    {
        plt.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(tests.Select(t => (double)Y(tests, t)).ToArray(), tests.ToArray());
        plt.Axes.SetLimitsY(-0.6, tests.Count - 0.4);
    }
}
