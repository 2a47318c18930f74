using System.Globalization;
using IrqBench.Harness.Report;
using ScottPlot;

namespace IrqBench.Harness.Plots;

/// <summary>Mean latency per interrupt stacked by stage, one bar per design, grouped by kind of interrupt, per
/// workload and organisation at its largest vCPU count: which stage a design adds to. Stages have their own
/// colour-blind-safe palette (Paul Tol's "light" scheme), distinct from the designs' colours.</summary>
public static class LatencyStagesPlot
{
    private static readonly string[] StageHex = ["#77AADD", "#EE8866", "#EEDD88", "#FFAABB", "#99DDFF", "#44BB99"];

    public static void Render(ComparisonData d, string dir, PlotSet plots)
    {
        if (d.StageRows.Count == 0) return;
        foreach (var c in d.Cases)
        {
            var vcpus = d.VcpusOf(c);
            if (vcpus.Count == 0) continue;
            int v = vcpus[^1];
            var controllers = d.ControllersOf(c);
            var kinds = StageBreakdown.KindsIn(d, controllers.SelectMany(ctl => d.RunsOf(ctl, c, v)));
            if (kinds.Count == 0)
            {
                plots.Skip($"{c.Label}, latency by stage: no interrupt was delivered");
                continue;
            }
            var plt = PlotKit.NewPlot($"{c.Label}, {v} vCPUs: mean latency per interrupt, by stage", "kind of interrupt and design", "ns per interrupt");
            var bars = new List<Bar>();
            var ticks = new List<(double, string)>();
            for (int g = 0; g < kinds.Count; g++)
                for (int i = 0; i < controllers.Count; i++)
                {
                    if (StageBreakdown.Of(d, controllers[i], d.RunsOf(controllers[i], c, v), kinds[g]) is not { } b) continue;
                    double x = g * (controllers.Count + 1) + i, bottom = 0;
                    for (int s = 0; s < b.Stages.Count; s++)
                    {
                        double ns = b.Stages[s].MeanNs;
                        if (ns <= 0) continue;
                        bars.Add(new Bar { Position = x, ValueBase = bottom, Value = bottom + ns, FillColor = Color.FromHex(StageHex[s]), Size = 0.85 });
                        bottom += ns;
                    }
                    ticks.Add((x, $"{kinds[g]}\n{controllers[i]}"));
                }
            int width = PlotKit.FinishStackedBars(plt, bars, StageBreakdown.StageNames.Select((s, i) => (s, Color.FromHex(StageHex[i]))), ticks);
            plots.Add(new RenderedPlot(PlotKit.Save(plt, dir, $"latency-stages-{c.FileStem}", width),
                string.Create(CultureInfo.InvariantCulture, $"{c.Label}, {v} vCPUs: each bar is one design's mean latency per interrupt of that kind, ") +
                "stacked by the stage it is spent in (the stages of every interrupt add up to its latency). Numbers: latency_stages.csv, and the table above."));
        }
    }
}
