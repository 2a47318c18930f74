using System.Globalization;
using System.Text;

namespace IrqBench.Harness.Validation;

/// <summary>The validation table as markdown (validate.md) and CSV (validate.csv).</summary>
public static class ValidationReport
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    public static string Markdown(IReadOnlyList<ValidationRow> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# The model beside every published figure");
        sb.AppendLine();
        sb.AppendLine("Produced by `irqbench validate`. Each published figure is run in the model on the profile of the machine it was " +
                      "measured on, with the design it was measured with (KVM's emulated GICv3). *calibrated*: a primitive of the profile " +
                      "was fitted to this figure (its `calibrated_on` names it), so the row checks the fit; *predicted*: nothing was fitted " +
                      "to it, so the row tests the model. Sources: docs/costs.md.");
        sb.AppendLine();
        sb.AppendLine("| profile | machine | figure | model | published | model / published | role | source |");
        sb.AppendLine("|---|---|---|---:|---:|---:|---|---|");
        foreach (var r in rows)
            sb.AppendLine($"| {r.Profile} | {r.Machine} | {r.Figure} | {Value(r.Model, r.Unit)} | {Value(r.Published, r.Unit)} | {r.Ratio.ToString("F3", Ci)} | {Role(r.Role)} | {r.Source} |");
        return sb.ToString();
    }

    public static string Csv(IReadOnlyList<ValidationRow> rows)
    {
        var sb = new StringBuilder("profile,machine,figure,unit,model,published,ratio,role,source\n");
        foreach (var r in rows)
            sb.Append(string.Join(",", Quote(r.Profile), Quote(r.Machine), Quote(r.Figure), r.Unit, r.Model.ToString("R", Ci),
                r.Published.ToString("R", Ci), r.Ratio.ToString("F4", Ci), Role(r.Role), Quote(r.Source))).Append('\n');
        return sb.ToString();
    }

    public static string Value(double v, string unit) => unit switch
    {
        "ns" => v.ToString("N1", Ci) + " ns",
        "s" => v.ToString("F3", Ci) + " s",
        _ => v.ToString("N0", Ci),
    };

    public static string Role(FigureRole r) => r == FigureRole.Calibrated ? "calibrated" : "predicted";

    private static string Quote(string s) => s.Contains(',') || s.Contains('"') ? $"\"{s.Replace("\"", "\"\"")}\"" : s;
}
