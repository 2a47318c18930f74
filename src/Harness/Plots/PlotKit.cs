using ScottPlot;

namespace IrqBench.Harness.Plots;

/// <summary>What every plot shares: a sans font (the headless default is serif, libs.md §3), one colour per controller
/// across all plots, grouped bars with asymmetric confidence whiskers drawn as solid lines (SVG drops dashed ones), and
/// saving as PNG and SVG.</summary>
public static class PlotKit
{
    public const int Width = 960, Height = 540;

    private static readonly Dictionary<string, string> ControllerColours = new(StringComparer.Ordinal)
    {
        ["gicv3"] = "#1f77b4", ["gicv4.1"] = "#17becf", ["rvic"] = "#ff7f0e", ["ideal"] = "#7f7f7f",
    };

    private static readonly ScottPlot.Palettes.Category10 Palette = new();

    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        Fonts.Default = "DejaVu Sans";
        var plt = new Plot();
        plt.Title(title, size: 15);
        plt.XLabel(xLabel, size: 13);
        plt.YLabel(yLabel, size: 13);
        return plt;
    }

    public static ScottPlot.Color ControllerColour(string controller, int index) =>
        ControllerColours.TryGetValue(controller, out var hex) ? ScottPlot.Color.FromHex(hex) : Palette.GetColor(index + 4);

    public static ScottPlot.Color SeriesColour(int index) => Palette.GetColor(index);

    /// <summary>One bar per (group, series), groups side by side with a gap of one bar; returns the group centres.</summary>
    public static double[] GroupedBars(Plot plt, IReadOnlyList<string> groups, IReadOnlyList<(string Name, ScottPlot.Color Colour)> series,
        Func<int, int, (double Value, double? Lower, double? Upper)?> value, Func<double, string>? label = null)
    {
        int s = series.Count;
        var bars = new List<Bar>();
        for (int g = 0; g < groups.Count; g++)
            for (int i = 0; i < s; i++)
            {
                if (value(g, i) is not { } v) continue;
                double x = g * (s + 1) + i;
                bars.Add(new Bar { Position = x, Value = v.Value, FillColor = series[i].Colour, Size = 0.9 });
                double top = v.Value;
                if (v.Lower is { } lo && v.Upper is { } hi && hi > lo) { Whisker(plt, x, lo, hi); top = Math.Max(top, hi); }
                // The value label sits above the whisker, not on it (a bar's own label would be hidden by the cap).
                if (label is not null)
                {
                    var t = plt.Add.Text(label(v.Value), x, top);
                    t.LabelAlignment = Alignment.LowerCenter;
                    t.LabelFontSize = 10;
                    t.LabelFontColor = Colors.Black;
                    t.OffsetY = -2;
                }
            }
        plt.Add.Bars(bars);
        foreach (var (name, colour) in series)
            plt.Legend.ManualItems.Add(new LegendItem { LabelText = name, FillColor = colour });
        var centres = Enumerable.Range(0, groups.Count).Select(g => g * (s + 1) + (s - 1) / 2.0).ToArray();
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(centres, groups.ToArray());
        plt.Axes.Bottom.MajorTickStyle.Length = 0;
        plt.Axes.Margins(bottom: 0, top: 0.18); // room for the legend and the value labels
        return centres;
    }

    /// <summary>Counts per work unit can be tiny (a wake-up every few thousand messages): scales them to per thousand or
    /// per million units so the axis reads "0.15 per 1,000 messages", not "1.5E-04".</summary>
    public static (double Factor, string Per) PerUnitScale(double max, string unit) =>
        max >= 0.1 || max == 0 ? (1, unit) : max * 1000 >= 0.1 ? (1000, $"1,000 {unit}s") : (1e6, $"million {unit}s");

    /// <summary>A vertical confidence whisker with caps, in black solid lines.</summary>
    public static void Whisker(Plot plt, double x, double lo, double hi, double cap = 0.18, ScottPlot.Color? colour = null)
    {
        foreach (var (x1, y1, x2, y2) in new[] { (x, lo, x, hi), (x - cap, lo, x + cap, lo), (x - cap, hi, x + cap, hi) })
        {
            var l = plt.Add.Line(x1, y1, x2, y2);
            l.LineColor = colour ?? Colors.Black;
            l.LineWidth = 1.5f;
        }
    }

    /// <summary>Saves PNG and SVG; returns the PNG's file name (relative to <paramref name="dir"/>). With
    /// <paramref name="pixelsPerSlot"/> the image widens so that each bar position on the x axis gets at least that
    /// many pixels: value labels and per-bar tick labels then do not run into each other as designs are added.</summary>
    public static string Save(Plot plt, string dir, string stem, int pixelsPerSlot = 0)
    {
        Directory.CreateDirectory(dir);
        int width = Width;
        if (pixelsPerSlot > 0)
        {
            plt.Axes.AutoScale();
            double slots = plt.Axes.GetLimits().Rect.Width;
            width = Math.Max(Width, 220 + (int)Math.Ceiling(slots * pixelsPerSlot)); // 220: the y axis and the legend
        }
        string png = stem + ".png";
        Output.AtomicFile.Write(Path.Combine(dir, png), tmp => plt.SavePng(tmp, width, Height));
        Output.AtomicFile.Write(Path.Combine(dir, stem + ".svg"), tmp => plt.SaveSvg(tmp, width, Height));
        return png;
    }
}
