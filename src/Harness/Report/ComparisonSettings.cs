using System.Text.Json;
using IrqBench.Harness.Stats;

namespace IrqBench.Harness.Report;

/// <summary>How a comparison was asked for, kept in comparison.json beside the runs so that <c>irqbench report</c>
/// draws the same verdicts again: the baseline design, the verdict threshold and the command (without the options
/// that do not change results: the output folder and the job count).</summary>
public sealed record ComparisonSettings(string Baseline, double ThresholdPercent, string Command)
{
    public const string File = "comparison.json";

    public static readonly ComparisonSettings Default = new(Summarizer.Gicv3, Verdicts.DefaultThresholdPercent, "irqbench compare");

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";

    /// <summary>The settings in <paramref name="dir"/>, or the defaults for a folder written without them (a sweep, an
    /// older compare).</summary>
    public static ComparisonSettings Load(string dir)
    {
        string path = Path.Combine(dir, File);
        if (!System.IO.File.Exists(path)) return Default with { Command = $"irqbench report --in {dir}" };
        ComparisonSettings s;
        try { s = JsonSerializer.Deserialize<ComparisonSettings>(Output.InputFile.ReadText(path, Output.InputFile.MaxJsonBytes), Json) ?? throw new JsonException("empty"); }
        catch (JsonException e) { throw new InputException($"{path}: not a valid {File}: {e.Message}"); }
        if (s.Baseline is null || Registry.FindController(s.Baseline) is null)
            throw new InputException($"{path}: baseline: {Registry.Unknown("controller", s.Baseline ?? "", Registry.ControllerNames)}");
        if (!(s.ThresholdPercent > 0 && s.ThresholdPercent < 100))
            throw new InputException($"{path}: threshold_percent: {s.ThresholdPercent.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not a percentage in (0, 100)");
        return s with { Command = s.Command ?? "" };
    }
}
