using CsvHelper;
using IrqBench.Machine.Costs;
using IrqBench.Workloads.MicroBench;

namespace IrqBench.Harness.Output;

/// <summary>One row of microbench.csv (DESIGN §8). <c>ratio</c> is model / published for the design the published
/// figure was measured on only (<see cref="PublishedDesign"/>), empty for the others.</summary>
[CsvRecord]
public partial record MicrobenchRow
{
    [CsvColumn("controller")] public string Controller { get; init; } = "";
    [CsvColumn("profile")] public string Profile { get; init; } = "";
    [CsvColumn("profile_sha256", Optional = true)] public string ProfileSha256 { get; init => field = value ?? ""; } = "";
    [CsvColumn("test")] public string Test { get; init; } = "";
    [CsvColumn("iterations")] public int Iterations { get; init; }
    [CsvColumn("total_ns")] public double TotalNs { get; init; }
    [CsvColumn("avg_ns")] public double AvgNs { get; init; }
    [CsvColumn("exits_per_op")] public double ExitsPerOp { get; init; }
    [CsvColumn("published_ns")] public double? PublishedNs { get; init; }
    [CsvColumn("ratio")] public double? Ratio { get; init; }
    [CsvColumn("published_source")] public string PublishedSource { get; init; } = "";
    [CsvColumn("skipped")] public string Skipped { get; init; } = "";

    /// <summary>The design the published kvm-unit-tests figures were measured on: KVM with its GICv3 emulation. Only
    /// that design's row is divided by them; dividing another design's cost by GICv3's measurement would compare
    /// different things.</summary>
    public const string PublishedDesign = "gicv3";

    /// <summary>Whether this row is the measured design's, so that model / published is a calibration.</summary>
    public bool IsCalibration => Controller == PublishedDesign && PublishedNs is > 0 && Skipped.Length == 0;

    public static MicrobenchRow From(MicroBenchResult r, CostProfile profile) => new()
    {
        Controller = r.Controller, Profile = r.Profile, ProfileSha256 = profile.ContentHash, Test = r.Test, Iterations = r.Iterations,
        TotalNs = RunRow.Round(r.TotalNs), AvgNs = RunRow.Round(r.AvgNs), ExitsPerOp = RunRow.Round(r.ExitsPerOp),
        PublishedNs = r.PublishedNs is { } p ? RunRow.Round(p) : null,
        Ratio = r.Controller == PublishedDesign && r.Ratio is { } q ? RunRow.Round(q) : null,
        PublishedSource = r.PublishedSource ?? "", Skipped = r.Skipped ?? "",
    };
}
