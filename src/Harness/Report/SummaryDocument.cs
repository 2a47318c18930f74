using System.Text.Json;
using System.Text.Json.Serialization;
using IrqBench.Harness.Report.Sections;
using IrqBench.Harness.Stats;

namespace IrqBench.Harness.Report;

/// <summary>
/// summary.json: what report.md says, for programs — the settings, the profiles (file and hash), the verdicts with
/// their paired ratios and intervals (exact coverage included), the cost table and the exits by reason of every
/// scenario, and the micro-benchmarks. Values are rounded (ns to 3 decimals, ratios and shares to 6) so the text is
/// the same on every machine; a value that does not exist is null.
/// </summary>
public sealed record SummaryDocument(
    string Command, string Baseline, double ThresholdPercent, SummaryDocument.RatioMethod Ratio, IReadOnlyList<ProfileInfo> Profiles,
    IReadOnlyList<SummaryDocument.VerdictEntry> Verdicts, IReadOnlyList<SummaryDocument.CostEntry> Costs,
    IReadOnlyList<SummaryDocument.ExitEntry> Exits, IReadOnlyList<SummaryDocument.MicrobenchEntry> Microbench)
{
    public sealed record RatioMethod(string Estimate, string Interval, double Level, int MinimumPairs);

    public sealed record Scenario(string Profile, string ProfileSha256, string Workload, string Params, int Vcpus);

    public sealed record VerdictEntry(Scenario Scenario, string Candidate, string Baseline, string Verdict, int Pairs, double Ratio,
        double? Lower, double? Upper, double? Confidence, double? ResolutionPercent, int? SeedsForOnePercent);

    public sealed record Delta(int Pairs, double? NsPerUnit, double? HypVcpuNs, double? GuestVcpuNs, double? IdleVcpuNs);

    public sealed record CostEntry(Scenario Scenario, string Design, int Seeds, double? NsPerUnit, double? HypVcpuNsPerUnit, double HypShare, Delta? VsBaseline);

    public sealed record ExitEntry(Scenario Scenario, string Design, string Reason, long Exits, double ExitsPercent, double? TotalNs, double? HypPercent,
        double? AvgNs, double? MinNs, double? MaxNs);

    public sealed record MicrobenchEntry(string Profile, string ProfileSha256, string Design, string Test, double AvgNs, double ExitsPerOp,
        double? PublishedNs, double? ModelOverPublished, string Skipped);

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";

    public static SummaryDocument Build(ComparisonData d)
    {
        Scenario S(WorkloadCase c, int v) => new(c.Profile.Name, c.Profile.Sha256, c.Workload, c.Params, v);
        var verdicts = d.Verdicts.Select(v => new VerdictEntry(S(d.CaseOf(v.Scenario), v.Scenario.Vcpus), v.Verdict.Candidate, v.Verdict.Baseline,
            v.Verdict.Short, v.Verdict.Ratio.Pairs, R6(v.Verdict.Ratio.Ratio)!.Value, R6(v.Verdict.Ratio.Lower), R6(v.Verdict.Ratio.Upper),
            R6(v.Verdict.Ratio.Confidence), R6(v.Verdict.Ratio.ResolutionPercent), v.Verdict.Ratio.SeedsFor(VerdictSection.TargetResolutionPercent))).ToList();
        var costs = d.Profiles.SelectMany(p => CostRow.On(d, p)).Select(r => new CostEntry(S(r.Case, r.Vcpus), r.Controller, r.Seeds,
            R3(r.NsPerUnit), R3(r.HypNsPerUnit), R6(r.HypShare)!.Value,
            r.Delta is { } x ? new Delta(x.Pairs, R3(x.NsPerUnit), R3(x.Hyp), R3(x.Guest), R3(x.Idle)) : null)).ToList();
        var exits = (from c in d.Cases
                     from v in d.VcpusOf(c)
                     from ctl in d.ControllersOf(c)
                     from e in ExitReasonRow.Of(d, d.RunsOf(ctl, c, v))
                     select new ExitEntry(S(c, v), ctl, e.Reason, e.Exits, R6(e.ExitsPercent)!.Value, R3(e.TotalNs), R6(e.HypPercent),
                         R3(e.AvgNs), R3(e.MinNs), R3(e.MaxNs))).ToList();
        var micro = d.Microbench.Select(m => new MicrobenchEntry(m.Profile, m.ProfileSha256, m.Controller, m.Test, m.AvgNs, m.ExitsPerOp,
            m.PublishedNs, m.IsCalibration ? m.Ratio : null, m.Skipped)).ToList();
        return new SummaryDocument(d.Settings.Command, d.Baseline, d.Settings.ThresholdPercent,
            new RatioMethod(PairedRatio.EstimateName, PairedRatio.IntervalName, PairedRatio.Level, PairedRatio.MinimumPairs),
            d.Profiles, verdicts, costs, exits, micro);
    }

    private static double? R3(double? v) => v is { } x && double.IsFinite(x) ? Math.Round(x, 3, MidpointRounding.ToEven) : null;
    private static double? R6(double? v) => v is { } x && double.IsFinite(x) ? Math.Round(x, 6, MidpointRounding.ToEven) : null;
}
