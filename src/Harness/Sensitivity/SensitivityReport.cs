using System.Globalization;
using System.Text;

namespace IrqBench.Harness.Sensitivity;

/// <summary>The sensitivity table (markdown for the console and sensitivity.md, CSV for sensitivity.csv).</summary>
public static class SensitivityReport
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    public static string Markdown(SensitivityAnalysis a, SensitivityAnalysis.Measures b, IReadOnlyList<SensitivityAnalysis.Row> rows, string profile, int top)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# What each primitive of {profile} moves");
        sb.AppendLine();
        sb.AppendLine($"Produced by `irqbench sensitivity`. Each primitive is set, one at a time, to the low and high end of its documented range " +
                      $"(\"range A-B cycles\" in its source), or ±the given fraction where it documents none. Scenario: {a.ScenarioLabel}; " +
                      $"its {a.RatioLabel} ratio of time per work unit (geometric mean of the per-seed paired ratios) is " +
                      $"{b.Ratio.ToString("F4", Ci)} ± {b.NoiseHalfWidth.ToString("F4", Ci)} (two standard errors over the seeds) on the profile as it is: " +
                      "a swing smaller than that is within the scenario's own noise (marked ~). Ranked by how far the primitive moves that ratio. " +
                      "The micro-benchmark columns are the change in ns at the low / high end (= unchanged).");
        sb.AppendLine();
        var micro = b.Micro.Keys.ToList();
        sb.Append($"| primitive | cycles | low – high | range | {a.RatioLabel} at low | at high |");
        foreach (var m in micro) sb.Append($" {m} ns low / high |");
        sb.AppendLine();
        sb.Append("|---|---:|---|---|---:|---:|");
        foreach (var _ in micro) sb.Append("---|");
        sb.AppendLine();
        foreach (var r in rows.Take(top))
        {
            string noise = r.RatioSwing(b) <= b.NoiseHalfWidth ? " ~" : "";
            sb.Append($"| {r.Range.Key}{noise} | {r.Range.Base:N0} | {r.Range.Low:N0} – {r.Range.High:N0} | {(r.Range.Documented ? "documented" : "±fraction")} | " +
                      $"{r.AtLow.Ratio.ToString("F4", Ci)} | {r.AtHigh.Ratio.ToString("F4", Ci)} |");
            foreach (var m in micro) sb.Append($" {Shift(r.AtLow.Micro[m], b.Micro[m])} / {Shift(r.AtHigh.Micro[m], b.Micro[m])} |");
            sb.AppendLine();
        }
        if (rows.Count > top) sb.AppendLine($"\n{rows.Count - top} more primitives move the ratio less; sensitivity.csv has them all.");
        return sb.ToString();
    }

    /// <summary>A micro-benchmark figure as its change from the profile's own, in ns ("=" when unchanged).</summary>
    private static string Shift(double v, double b) => Math.Abs(v - b) < 0.05 ? "=" : (v - b).ToString("+0.0;-0.0", Ci);

    public static string Csv(SensitivityAnalysis.Measures b, IReadOnlyList<SensitivityAnalysis.Row> rows)
    {
        var sb = new StringBuilder("primitive,cycles,low,high,documented,figure,base,at_low,at_high\n");
        foreach (var r in rows)
        {
            void Line(string figure, double bv, double lo, double hi) =>
                sb.Append($"{r.Range.Key},{r.Range.Base},{r.Range.Low},{r.Range.High},{(r.Range.Documented ? "yes" : "no")},{figure},{bv.ToString("R", Ci)},{lo.ToString("R", Ci)},{hi.ToString("R", Ci)}\n");
            Line("ratio", b.Ratio, r.AtLow.Ratio, r.AtHigh.Ratio);
            foreach (var m in b.Micro.Keys) Line(m.Replace(' ', '.') + "_ns", b.Micro[m], r.AtLow.Micro[m], r.AtHigh.Micro[m]);
        }
        return sb.ToString();
    }
}
