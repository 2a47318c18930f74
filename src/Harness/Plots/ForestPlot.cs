using System.Globalization;
using IrqBench.Harness.Report;
using IrqBench.Harness.Stats;
using ScottPlot;

namespace IrqBench.Harness.Plots;

/// <summary>The verdicts as a forest plot, one per organisation: a row per scenario and design, its paired time ratio
/// against the baseline with the 95 % interval as an error bar, on a log axis, over the shaded ±threshold band;
/// the marker and the text at the row's end give the verdict, which is read straight off the picture (slower: the
/// whole bar right of the band; equivalent: the whole bar inside it).</summary>
public static class ForestPlot
{
    public static void Render(ComparisonData d, string dir, PlotSet plots)
    {
        if (d.Verdicts.Count == 0)
        {
            plots.Skip($"forest plot: no verdicts (it needs {d.Baseline} and another design on the same scenarios)");
            return;
        }
        double t = d.Settings.ThresholdPercent / 100;
        foreach (var p in d.Profiles)
        {
            var rows = d.Verdicts.Where(v => v.Scenario.Profile == p.Name && v.Scenario.ProfileSha256 == p.Sha256).ToList();
            if (rows.Count == 0) continue;
            var plt = PlotKit.NewPlot($"{p.Title}: time per work unit against {d.Baseline}, paired over seeds",
                $"time ratio against {d.Baseline} (log scale; shaded: ±{Fmt.Num(d.Settings.ThresholdPercent)} %)", "");
            var band = plt.Add.HorizontalSpan(Math.Log10(1 - t), Math.Log10(1 + t), Colors.Gray.WithAlpha(0.18));
            band.LineWidth = 0;
            plt.Add.VerticalLine(0, 1, Colors.Gray);
            double lo = 1 - t, hi = 1 + t;
            var labels = new List<string>();
            for (int i = 0; i < rows.Count; i++)
            {
                var v = rows[i].Verdict;
                double y = rows.Count - 1 - i; // first row at the top
                var colour = PlotKit.ControllerColour(v.Candidate);
                double x = Math.Log10(v.Ratio.Ratio);
                if (v.Ratio is { Lower: { } l, Upper: { } u })
                {
                    var bar = new ScottPlot.Plottables.ErrorBar([x], [y], [Math.Log10(u) - x], [x - Math.Log10(l)], [0], [0]); // x errors: positive, negative
                    plt.Add.Plottable(bar);
                    bar.Color = colour;
                    bar.LineWidth = 2;
                    bar.CapSize = 6;
                    lo = Math.Min(lo, l);
                    hi = Math.Max(hi, u);
                }
                lo = Math.Min(lo, v.Ratio.Ratio);
                hi = Math.Max(hi, v.Ratio.Ratio);
                plt.Add.Marker(x, y, Shape(v.Kind), v.Kind == VerdictKind.Inconclusive ? 13 : 10, colour);
                labels.Add($"{rows[i].Scenario.Workload} {rows[i].Scenario.Vcpus} vCPUs: {v.Candidate}");
            }
            double pad = (Math.Log10(hi) - Math.Log10(lo)) * 0.08 + 0.002;
            for (int i = 0; i < rows.Count; i++)
            {
                var text = plt.Add.Text(rows[i].Verdict.Short, Math.Log10(hi) + pad, rows.Count - 1 - i);
                text.LabelAlignment = Alignment.MiddleLeft;
                text.LabelFontSize = 11;
            }
            PlotKit.RatioAxis(plt.Axes.Bottom, lo, hi);
            plt.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                Enumerable.Range(0, rows.Count).Select(i => (double)(rows.Count - 1 - i)).ToArray(), labels.ToArray());
            plt.Axes.SetLimitsX(Math.Log10(lo) - pad, Math.Log10(hi) + pad * 6);
            plt.Axes.SetLimitsY(-0.7, rows.Count - 0.3);
            foreach (var ctl in rows.Select(r => r.Verdict.Candidate).Distinct())
                plt.Legend.ManualItems.Add(new LegendItem { LabelText = ctl, LineColor = PlotKit.ControllerColour(ctl), LineWidth = 2 });
            plt.ShowLegend(Alignment.LowerRight);
            int height = Math.Max(360, 120 + rows.Count * 30);
            plots.Add(new RenderedPlot(PlotKit.Save(plt, dir, $"forest-{PlotKit.FileStem(p.Label)}", PlotKit.Width, height),
                $"{p.Title}: each design's time per work unit against {d.Baseline} in each scenario — the {PairedRatio.EstimateName} (marker) " +
                $"with its 95 % exact signed-rank interval (bar) — against the ±{Fmt.Num(d.Settings.ThresholdPercent)} % band (shaded). " +
                "Filled marker: slower or faster; open: equivalent; cross: inconclusive; no bar: too few seeds. Numbers: summary.json verdicts."));
        }
    }

    private static MarkerShape Shape(VerdictKind k) => k switch
    {
        VerdictKind.Slower or VerdictKind.Faster => MarkerShape.FilledCircle,
        VerdictKind.Equivalent => MarkerShape.OpenCircle,
        VerdictKind.Inconclusive => MarkerShape.Cross,
        _ => MarkerShape.OpenSquare,
    };
}
