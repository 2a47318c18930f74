using CsvHelper;

namespace IrqBench.Harness.Output;

/// <summary>One row of summary.csv (DESIGN §6): one metric of one controller in one scenario, the median over its seeds
/// with the distribution-free 95 % interval of that median (empty with fewer than 6 seeds, where none exists), and the
/// paired ratio (per-seed ratios' Hodges-Lehmann centre, <see cref="Stats.PairedRatio"/>) against gicv3 and against
/// ideal in the same scenario (empty where that controller did not run or a ratio does not exist).</summary>
[CsvRecord]
public partial record SummaryRow
{
    [CsvColumn("controller")] public string Controller { get; init; } = "";
    [CsvColumn("workload")] public string Workload { get; init; } = "";
    [CsvColumn("profile")] public string Profile { get; init; } = "";
    [CsvColumn("profile_sha256", Optional = true)] public string ProfileSha256 { get; init => field = value ?? ""; } = "";
    [CsvColumn("vcpus")] public int Vcpus { get; init; }
    [CsvColumn("params")] public string Params { get; init; } = "";
    [CsvColumn("metric")] public string Metric { get; init; } = "";
    [CsvColumn("unit")] public string Unit { get; init; } = "";
    [CsvColumn("n")] public int N { get; init; }
    [CsvColumn("median")] public double Median { get; init; }
    [CsvColumn("ci95_lower")] public double? CiLower { get; init; }
    [CsvColumn("ci95_upper")] public double? CiUpper { get; init; }
    [CsvColumn("ratio_vs_gicv3")] public double? RatioVsGicv3 { get; init; }
    [CsvColumn("ratio_vs_ideal")] public double? RatioVsIdeal { get; init; }

    /// <summary>What <c>irqbench check</c> matches a baseline row with.</summary>
    public string CheckKey => $"{Controller}/{Workload}/{Profile}/v{Vcpus}/{Params}/{Metric}";
}
