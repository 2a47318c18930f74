using CsvHelper;

namespace IrqBench.Harness.Output;

/// <summary>One row of summary.csv (DESIGN §6): one metric of one scenario (a run without its seed), the median over
/// its seeds with a 95 % confidence interval, and the ratio of that median to gicv3's and to ideal's in the same
/// scenario (empty where that controller did not run or its median is 0).</summary>
[CsvRecord]
public partial record SummaryRow
{
    [CsvColumn("controller")] public string Controller { get; init; } = "";
    [CsvColumn("workload")] public string Workload { get; init; } = "";
    [CsvColumn("profile")] public string Profile { get; init; } = "";
    [CsvColumn("vcpus")] public int Vcpus { get; init; }
    [CsvColumn("params")] public string Params { get; init; } = "";
    [CsvColumn("metric")] public string Metric { get; init; } = "";
    [CsvColumn("unit")] public string Unit { get; init; } = "";
    [CsvColumn("n")] public int N { get; init; }
    [CsvColumn("median")] public double Median { get; init; }
    [CsvColumn("ci95_lower")] public double CiLower { get; init; }
    [CsvColumn("ci95_upper")] public double CiUpper { get; init; }
    [CsvColumn("ratio_vs_gicv3")] public double? RatioVsGicv3 { get; init; }
    [CsvColumn("ratio_vs_ideal")] public double? RatioVsIdeal { get; init; }

    /// <summary>The scenario without the controller: rows with equal keys are compared with each other.</summary>
    public (string, string, int, string) ScenarioKey => (Workload, Profile, Vcpus, Params);

    /// <summary>What <c>irqbench check</c> matches a baseline row with.</summary>
    public string CheckKey => $"{Controller}/{Workload}/{Profile}/v{Vcpus}/{Params}/{Metric}";
}
