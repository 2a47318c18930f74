using System.Globalization;
using IrqBench.Harness.Output;
using IrqBench.Harness.Report;
using IrqBench.Harness.Stats;
using IrqBench.Machine.Metrics;
using ScottPlot;

namespace IrqBench.Harness.Plots;

/// <summary>Interrupt latency (raised → acknowledged by the guest) as distribution functions, per workload and
/// organisation at the largest vCPU count: a panel per interrupt kind (IPIs, the timer, MSIs, wired SPIs take
/// different paths), a line per design, the latency on a log axis. Drawn from latency.csv's fixed quantiles: each
/// point is the median over seeds of one quantile, so <c>irqbench report</c> draws the same curves again.</summary>
public static class LatencyEcdfPlot
{
    public static void Render(ComparisonData d, string dir, PlotSet plots)
    {
        foreach (var c in d.Cases)
        {
            var vcpus = d.VcpusOf(c);
            if (vcpus.Count == 0) continue;
            int v = vcpus[^1];
            var curves = d.ControllersOf(c).ToDictionary(ctl => ctl, ctl => Curves(d.RunsOf(ctl, c, v).Select(d.LatencyOf)));
            var kinds = IrqKinds.All.Select(k => k.Name()).Where(k => curves.Values.Any(m => m.ContainsKey(k))).ToList();
            if (kinds.Count == 0)
            {
                plots.Skip($"{c.Label}, latency distribution: no interrupt latency recorded (no latency.csv rows for these runs)");
                continue;
            }
            var panels = kinds.Select(k => (Panel(d, k, curves), 1.0)).ToList();
            plots.Add(new RenderedPlot(PlotKit.SavePanels(panels, dir, $"latency-{c.FileStem}", Math.Max(PlotKit.Width, 380 * panels.Count)),
                $"{c.Label}, {Plural.Of(v, "vCPU")}: distribution of interrupt latency (raised until the guest acknowledges it) per interrupt kind, " +
                "per design, on a log axis; each point is the median over seeds of one quantile (1 % … 99.9 % and the maximum). " +
                $"Kinds with no delivery are left out. Numbers: latency.csv."));
        }
    }

    /// <summary>Per kind, the (quantile, median ns over the runs) points.</summary>
    private static Dictionary<string, List<(double Q, double Ns)>> Curves(IEnumerable<IReadOnlyList<LatencyRow>> runs) =>
        runs.SelectMany(r => r).GroupBy(l => l.Kind).ToDictionary(g => g.Key,
            g => g.GroupBy(l => l.Quantile).OrderBy(q => q.Key).Select(q => (q.Key, MedianEstimate.Of(q.Select(l => l.Ns).ToList()).Median)).ToList());

    private static Plot Panel(ComparisonData d, string kind, Dictionary<string, Dictionary<string, List<(double Q, double Ns)>>> curves)
    {
        var plt = PlotKit.NewPlot($"{kind} interrupts", "latency, ns (log scale)", "fraction of interrupts ≤ latency");
        int k = 0;
        var xs = new List<double>();
        foreach (var (ctl, byKind) in curves)
        {
            var colour = PlotKit.ControllerColour(ctl);
            // Later lines thinner, so that a design whose curve equals an earlier one's still shows.
            float width = Math.Max(1.5f, 5f - 1.2f * k++);
            if (!byKind.TryGetValue(kind, out var pts)) continue;
            // The log of 0 ns (an interrupt taken at once) does not exist: such points sit at 1 ns.
            var x = pts.Select(p => Math.Log10(Math.Max(1, p.Ns))).ToArray();
            xs.AddRange(x);
            var line = plt.Add.Scatter(x, pts.Select(p => p.Q).ToArray(), colour);
            line.LegendText = ctl;
            line.LineWidth = width;
            line.MarkerSize = 0;
            line.ConnectStyle = ConnectStyle.StepHorizontal;
        }
        PlotKit.LogAxis(plt.Axes.Bottom, ns => ns.ToString("#,0", CultureInfo.InvariantCulture));
        PlotKit.DecadeLimitsX(plt, xs);
        plt.Axes.SetLimitsY(0, 1.02);
        plt.ShowLegend(Alignment.LowerRight);
        return plt;
    }
}
