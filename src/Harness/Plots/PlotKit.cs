using System.Globalization;
using ScottPlot;
using SkiaSharp;

namespace IrqBench.Harness.Plots;

/// <summary>What every plot shares: a sans font (ScottPlot's headless default resolves to a serif face), one colour per controller
/// across all plots, log axes the ScottPlot way (log-transformed data, labels of the values they stand for, log minor
/// ticks), and saving as PNG and SVG. Solid lines only: SVG export drops dashed ones.</summary>
public static class PlotKit
{
    public const int Width = 960, Height = 540;

    /// <summary>Okabe-Ito colours (colour-blind safe): the two GICv3 designs in blues, rVIC vermillion, the bound
    /// black.</summary>
    private static readonly Dictionary<string, string> ControllerColours = new(StringComparer.Ordinal)
    {
        ["gicv3"] = "#0072B2", ["gicv4.1"] = "#56B4E9", ["rvic"] = "#D55E00", ["ideal"] = "#000000",
    };

    /// <summary>Other controllers: the remaining Okabe-Ito colours (bluish green, reddish purple, orange, yellow), picked
    /// by the name, so a controller keeps its colour in every plot.</summary>
    private static readonly string[] SpareColours = ["#009E73", "#CC79A7", "#E69F00", "#F0E442"];

    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        Fonts.Default = "DejaVu Sans";
        var plt = new Plot();
        plt.Title(title, size: 14);
        plt.XLabel(xLabel, size: 12);
        plt.YLabel(yLabel, size: 12);
        return plt;
    }

    public static Color ControllerColour(string controller) =>
        Color.FromHex(ControllerColours.TryGetValue(controller, out var hex) ? hex : SpareColours[controller.Sum(c => c) % SpareColours.Length]);

    /// <summary>A log axis over data given as log10 of the values: major ticks at decades labelled with the values,
    /// minor ticks between them.</summary>
    public static void LogAxis(IAxis axis, Func<double, string>? label = null)
    {
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = lg => (label ?? (v => v.ToString("#,0.###", CultureInfo.InvariantCulture)))(Math.Pow(10, lg)),
        };
    }

    /// <summary>X limits of a log axis at whole decades around the values (given as log10), so that at least two decades
    /// are labelled however narrow the data.</summary>
    public static void DecadeLimitsX(Plot plt, IEnumerable<double> log10Values)
    {
        var v = log10Values.ToList();
        if (v.Count > 0) plt.Axes.SetLimitsX(Math.Floor(v.Min()) - 0.02, Math.Max(Math.Ceiling(v.Max()), Math.Floor(v.Min()) + 1) + 0.02);
    }

    /// <summary>A log axis for ratios near 1 (where no decade falls in range): ticks at round ratios, placed at their
    /// log10, labelled as the change they stand for ("−5 %", "0", "+10 %").</summary>
    public static void RatioAxis(IAxis axis, double lo, double hi, int maxTicks = 8)
    {
        double span = Math.Max(hi - lo, 1e-3);
        double step = new[] { 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5 }.First(s => span / s <= maxTicks);
        var ticks = new List<double>();
        for (double t = Math.Floor(lo / step) * step; t <= hi + step / 2; t += step)
            if (t > 0) ticks.Add(Math.Round(t, 6));
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.Select(Math.Log10).ToArray(),
            ticks.Select(t => Math.Abs(t - 1) < 1e-9 ? "0" : ((t - 1) * 100).ToString("+0.#;−0.#", CultureInfo.InvariantCulture) + " %").ToArray());
    }

    /// <summary>A name safe for a file: letters, digits, '-' and '.' only.</summary>
    public static string FileStem(string label) => new(label.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '-').ToArray());

    /// <summary>A stacked bar chart's common finish: the bars, their legend (what is stacked), one labelled tick per
    /// bar, the legend at the right; returns the width that gives each bar room.</summary>
    public static int FinishStackedBars(Plot plt, List<Bar> bars, IEnumerable<(string Label, Color Colour)> legend, List<(double X, string Label)> ticks)
    {
        plt.Add.Bars(bars);
        foreach (var (label, colour) in legend) plt.Legend.ManualItems.Add(new LegendItem { LabelText = label, FillColor = colour });
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.Select(t => t.X).ToArray(), ticks.Select(t => t.Label).ToArray());
        plt.Axes.Bottom.MajorTickStyle.Length = 0;
        plt.Axes.Margins(bottom: 0, top: 0.1);
        plt.ShowLegend(Edge.Right);
        return Math.Max(Width, 220 + 80 * ticks.Count);
    }

    /// <summary>Saves PNG and SVG; returns the PNG's file name (relative to <paramref name="dir"/>).</summary>
    public static string Save(Plot plt, string dir, string stem, int width = Width, int height = Height)
    {
        Directory.CreateDirectory(dir);
        Output.AtomicFile.Write(Path.Combine(dir, stem + ".png"), tmp => plt.SavePng(tmp, width, height));
        Output.AtomicFile.Write(Path.Combine(dir, stem + ".svg"), tmp => plt.SaveSvg(tmp, width, height));
        return stem + ".png";
    }

    /// <summary>Saves panels side by side (each given its share of the width) as PNG and SVG. ScottPlot's multiplot
    /// saves PNG only, so the SVG is drawn through Skia's SVG canvas, the way a single plot's is.</summary>
    public static string SavePanels(IReadOnlyList<(Plot Plot, double Share)> panels, string dir, string stem, int width, int height = Height)
    {
        Directory.CreateDirectory(dir);
        var multi = new Multiplot(panels[0].Plot); // the parameterless constructor adds an empty plot of its own
        foreach (var (p, _) in panels.Skip(1)) multi.AddPlot(p);
        multi.Layout = new SharesLayout(panels.Select(p => p.Share).ToArray());
        Output.AtomicFile.Write(Path.Combine(dir, stem + ".png"), tmp => multi.SavePng(tmp, width, height));
        Output.AtomicFile.Write(Path.Combine(dir, stem + ".svg"), tmp =>
        {
            using (var stream = File.Create(tmp))
            using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), stream))
                multi.Render(canvas, new PixelRect(0, width, height, 0));
        });
        return stem + ".png";
    }

    /// <summary>Columns whose widths are the given shares of the whole.</summary>
    private sealed class SharesLayout(double[] shares) : IMultiplotLayout
    {
        public PixelRect[] GetSubplotRectangles(SubplotCollection subplots, PixelRect figure)
        {
            double total = shares.Sum(), left = figure.Left;
            var rects = new PixelRect[shares.Length];
            for (int i = 0; i < shares.Length; i++)
            {
                double w = figure.Width * shares[i] / total;
                rects[i] = new PixelRect((float)left, (float)(left + w), figure.Bottom, figure.Top);
                left += w;
            }
            return rects;
        }
    }
}
