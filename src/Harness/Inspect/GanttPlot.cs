using IrqBench.Harness.Plots;
using ScottPlot;

namespace IrqBench.Harness.Inspect;

/// <summary>
/// A trace drawn as a Gantt chart, one row per vCPU: guest work, IRQ handler, each exit by the name KVM gives it and
/// idle, coloured by state; IPI flows as arrows from the send to the handler, kick flows from the kicker to the exit.
/// It is what a reader would see of the same trace in ui.perfetto.dev, drawn from the trace's own data.
/// </summary>
public static class GanttPlot
{
    private static readonly ScottPlot.Palettes.Category10 Palette = new();

    /// <summary>A colour per slice name, the same in every chart drawn with it.</summary>
    public static IReadOnlyDictionary<string, ScottPlot.Color> Colours(IEnumerable<RecordedTrace> traces) =>
        traces.SelectMany(t => t.Slices).Select(s => s.Name).Distinct().OrderBy(n => n, StringComparer.Ordinal)
            .Select((n, i) => (n, c: Colour(n, i))).ToDictionary(x => x.n, x => x.c);

    /// <summary>Draws <paramref name="trace"/> into <paramref name="plt"/>; times in µs from <paramref name="origin"/>.</summary>
    public static void Draw(Plot plt, RecordedTrace trace, long origin, double cyclesPerUs, string title, IReadOnlyDictionary<string, ScottPlot.Color>? colours = null)
    {
        plt.Title(title, size: 13);
        plt.XLabel("simulated µs", size: 12);
        var names = trace.Slices.Select(s => s.Name).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
        var colour = colours ?? Colours([trace]);
        double Us(long t) => (t - origin) / cyclesPerUs;
        foreach (var s in trace.Slices)
        {
            var r = plt.Add.Rectangle(Us(s.Start), Us(s.End), s.Track - 0.35, s.Track + 0.35);
            r.FillColor = colour[s.Name];
            r.LineWidth = 0;
        }
        foreach (var f in trace.Flows)
        {
            var a = plt.Add.Arrow(new Coordinates(Us(f.From), f.FromTrack), new Coordinates(Us(f.To), f.ToTrack));
            a.ArrowFillColor = f.Name == "kick" ? Colors.DarkRed : Colors.Black;
            a.ArrowLineColor = a.ArrowFillColor;
            a.ArrowWidth = 1.5f;
            a.ArrowheadWidth = 8;
            a.ArrowheadLength = 8;
        }
        var tracks = trace.Slices.Select(s => s.Track).Distinct().Order().ToArray();
        plt.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(tracks.Select(t => (double)t).ToArray(), tracks.Select(t => t < 0 ? "host" : $"vCPU {t}").ToArray());
        plt.Axes.Left.MajorTickStyle.Length = 0;
        foreach (var n in names) plt.Legend.ManualItems.Add(new LegendItem { LabelText = n, FillColor = colour[n] });
        plt.Legend.ManualItems.Add(new LegendItem { LabelText = "IPI (send → handler)", LineColor = Colors.Black, LineWidth = 2 });
        plt.Legend.ManualItems.Add(new LegendItem { LabelText = "kick (kicker → exit)", LineColor = Colors.DarkRed, LineWidth = 2 });
        plt.ShowLegend(Alignment.UpperRight);
        plt.Axes.SetLimitsY(tracks.Min() - 0.8, tracks.Max() + 1.8);
    }

    /// <summary>Guest states in greens and blues, idle grey, each exit kind its own warm colour.</summary>
    private static ScottPlot.Color Colour(string name, int i) => name switch
    {
        "guest" => ScottPlot.Color.FromHex("#a1d99b"),
        "guest (spin)" => ScottPlot.Color.FromHex("#c7e9c0"),
        "IRQ handler" => ScottPlot.Color.FromHex("#3182bd"),
        "halted" or "halt-poll" or "WFI (not trapped)" => ScottPlot.Color.FromHex("#d9d9d9"),
        _ => Palette.GetColor(1 + i % 9),
    };

    /// <summary>Traces one above the other in one PNG (the same IPI on two designs, say), each from its own origin, on
    /// the same time scale of <paramref name="spanUs"/>.</summary>
    public static void SaveStack(string path, IReadOnlyList<(RecordedTrace Trace, long Origin, string Title)> traces, double cyclesPerUs, double spanUs)
    {
        Fonts.Default = "DejaVu Sans";
        var mp = new Multiplot();
        mp.AddPlots(traces.Count);
        var colours = Colours(traces.Select(t => t.Trace));
        for (int i = 0; i < traces.Count; i++)
        {
            var p = mp.GetPlot(i);
            Draw(p, traces[i].Trace, traces[i].Origin, cyclesPerUs, traces[i].Title, colours);
            p.Axes.SetLimitsX(0, spanUs);
        }
        Output.AtomicFile.Write(path, tmp => mp.SavePng(tmp, PlotKit.Width + 300, traces.Count * (PlotKit.Height - 50)));
    }
}
