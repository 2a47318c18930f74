using System.Globalization;
using IrqBench.Harness.Report;
using IrqBench.Harness.Stats;

namespace IrqBench.Harness.Plots;

/// <summary>How much longer each work unit takes than on the ideal controller, per workload and vCPU count, with the
/// 95 % confidence interval of the median scaled by ideal's median.</summary>
public static class OverheadPlot
{
    public static RenderedPlot? Render(ComparisonData d, string dir)
    {
        var controllers = d.Controllers.Where(c => c != Summarizer.Ideal && d.Runs.Any(r => r.Controller == c)).ToList();
        if (controllers.Count == 0 || !d.Runs.Any(r => r.Controller == Summarizer.Ideal)) return null;
        var groups = d.Cases.SelectMany(c => d.VcpusOf(c).Select(v => (Case: c, Vcpus: v))).ToList();
        int seeds = d.Runs.GroupBy(r => (r.Controller, r.Workload, r.Vcpus, r.Params)).Max(g => g.Count());

        var plt = PlotKit.NewPlot($"Time per work unit above the ideal controller (median of {seeds} seeds, 95% CI)",
            "workload and vCPU count", "overhead vs ideal (%)");
        PlotKit.GroupedBars(plt, groups.Select(g => $"{g.Case.Label}\n{g.Vcpus} vCPUs").ToList(),
            controllers.Select((c, i) => (c, PlotKit.ControllerColour(c, i))).ToList(),
            (g, i) =>
            {
                var s = d.Get(controllers[i], groups[g].Case, groups[g].Vcpus, RunMetric.NsPerUnit.Name);
                var ideal = d.Get(Summarizer.Ideal, groups[g].Case, groups[g].Vcpus, RunMetric.NsPerUnit.Name);
                if (s is null || ideal is null || ideal.Median == 0) return null;
                double Pct(double v) => (v / ideal.Median - 1) * 100;
                return (Pct(s.Median), Pct(s.CiLower), Pct(s.CiUpper));
            },
            v => v.ToString("0.#", CultureInfo.InvariantCulture) + "%");
        plt.ShowLegend(ScottPlot.Edge.Right);
        return new RenderedPlot(PlotKit.Save(plt, dir, "overhead"),
            "Simulated time per work unit, as % above the ideal controller in the same scenario; whiskers: 95% CI of the median over seeds. " +
            "Numbers: summary.csv, metric ns_per_unit (median, ci95_lower, ci95_upper, ratio_vs_ideal).");
    }
}
