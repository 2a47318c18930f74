namespace IrqBench.Harness.Check;

/// <summary>Ok: within its threshold. Moved: beyond it. Missing: the fresh results lack it. ProfileChanged: the fresh
/// results ran a profile of the same name with different content (an edited copy), so the numbers are not
/// comparable whatever they are.</summary>
public enum CheckStatus { Ok, Moved, Missing, ProfileChanged }

/// <summary>One baseline metric against the fresh value.</summary>
public sealed record MetricComparison(string Key, string Metric, double Baseline, double? Candidate, double Allowed, CheckStatus Status)
{
    public double? Change => Candidate is { } c ? c - Baseline : null;
    public double? RelativeChange => Candidate is { } c && Baseline != 0 ? (c - Baseline) / Math.Abs(Baseline) : null;

    public string StatusText => Status switch
    {
        CheckStatus.Ok => "ok",
        CheckStatus.Moved => "MOVED",
        CheckStatus.Missing => "MISSING",
        _ => "PROFILE CHANGED",
    };
}
