namespace IrqBench.Harness.Check;

public enum CheckStatus { Ok, Moved, Missing }

/// <summary>One baseline metric against the fresh value.</summary>
public sealed record MetricComparison(string Key, string Metric, double Baseline, double? Candidate, double Allowed, CheckStatus Status)
{
    public double? Change => Candidate is { } c ? c - Baseline : null;
    public double? RelativeChange => Candidate is { } c && Baseline != 0 ? (c - Baseline) / Math.Abs(Baseline) : null;
}
