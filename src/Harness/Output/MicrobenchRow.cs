using CsvHelper;
using IrqBench.Workloads.MicroBench;

namespace IrqBench.Harness.Output;

/// <summary>One row of microbench.csv (DESIGN §8).</summary>
[CsvRecord]
public partial record MicrobenchRow
{
    [CsvColumn("controller")] public string Controller { get; init; } = "";
    [CsvColumn("profile")] public string Profile { get; init; } = "";
    [CsvColumn("test")] public string Test { get; init; } = "";
    [CsvColumn("iterations")] public int Iterations { get; init; }
    [CsvColumn("total_ns")] public double TotalNs { get; init; }
    [CsvColumn("avg_ns")] public double AvgNs { get; init; }
    [CsvColumn("exits_per_op")] public double ExitsPerOp { get; init; }
    [CsvColumn("published_ns")] public double? PublishedNs { get; init; }
    [CsvColumn("ratio")] public double? Ratio { get; init; }
    [CsvColumn("published_source")] public string PublishedSource { get; init; } = "";
    [CsvColumn("skipped")] public string Skipped { get; init; } = "";

    public static MicrobenchRow From(MicroBenchResult r) => new()
    {
        Controller = r.Controller, Profile = r.Profile, Test = r.Test, Iterations = r.Iterations,
        TotalNs = RunRow.Round(r.TotalNs), AvgNs = RunRow.Round(r.AvgNs), ExitsPerOp = RunRow.Round(r.ExitsPerOp),
        PublishedNs = r.PublishedNs is { } p ? RunRow.Round(p) : null, Ratio = r.Ratio is { } q ? RunRow.Round(q) : null,
        PublishedSource = r.PublishedSource ?? "", Skipped = r.Skipped ?? "",
    };
}
