using IrqBench.Harness.Sensitivity;
using ScottPlot;

namespace IrqBench.Harness.Plots;

/// <summary>The sensitivity tornado: for the primitives that move the ratio most, a bar from the profile's ratio to
/// the ratio at the low end of the primitive's range and one to the high end, in percent of the profile's ratio.</summary>
public static class TornadoPlot
{
    public static RenderedPlot? Render(SensitivityAnalysis a, SensitivityAnalysis.Measures b, IReadOnlyList<SensitivityAnalysis.Row> rows, string dir, int top)
    {
        var shown = rows.Take(top).Where(r => r.RatioSwing(b) > 0).Reverse().ToList();
        if (shown.Count == 0) return null; // nothing moves the ratio: a tornado of empty bars says nothing
        var plt = PlotKit.NewPlot($"{a.RatioLabel}, {a.ScenarioLabel}: what each primitive moves", $"change of the {a.RatioLabel} ratio (% of {b.Ratio:F4})", "");
        var low = Color.FromHex("#56B4E9");   // Okabe-Ito sky blue and orange: the low and the high end
        var high = Color.FromHex("#E69F00");
        var bars = new List<Bar>();
        for (int i = 0; i < shown.Count; i++)
        {
            double lo = (shown[i].AtLow.Ratio / b.Ratio - 1) * 100, hi = (shown[i].AtHigh.Ratio / b.Ratio - 1) * 100;
            // side by side, so that two swings of the same sign do not hide each other
            bars.Add(new Bar { Position = i + 0.2, Value = lo, ValueBase = 0, FillColor = low, Size = 0.38 });
            bars.Add(new Bar { Position = i - 0.2, Value = hi, ValueBase = 0, FillColor = high, Size = 0.38 });
        }
        var bp = plt.Add.Bars(bars);
        bp.Horizontal = true;
        plt.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, shown.Count).Select(i => (double)i).ToArray(),
            shown.Select(r => $"{r.Range.Key} ({r.Range.Low:N0}–{r.Range.High:N0})").ToArray());
        plt.Axes.Left.MajorTickStyle.Length = 0;
        plt.Add.VerticalLine(0, 1, Colors.Black);
        plt.Legend.ManualItems.Add(new LegendItem { LabelText = "primitive at the low end", FillColor = low });
        plt.Legend.ManualItems.Add(new LegendItem { LabelText = "primitive at the high end", FillColor = high });
        plt.ShowLegend(Alignment.LowerRight);
        // One row per primitive: the image grows with the rows shown so their labels stay legible.
        string png = PlotKit.Save(plt, dir, "sensitivity-tornado", PlotKit.Width + 240, Math.Max(PlotKit.Height, 80 + 28 * shown.Count));
        return new RenderedPlot(png, $"What moves the {a.RatioLabel} ratio of {a.ScenarioLabel}: each primitive at the low and the high end of its range. Numbers: sensitivity.csv.");
    }
}
