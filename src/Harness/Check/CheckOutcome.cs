namespace IrqBench.Harness.Check;

/// <summary>A whole check: the results folder and files it compared, the modelled metrics against the baseline, and
/// the host timings when asked for.</summary>
public sealed record CheckOutcome(string Dir, string BaselineFile, string ThresholdsFile, BaselineCheck Metrics, IReadOnlyList<HostResult> Host)
{
    public bool Passed => Metrics.Passed && HostTimingCheck.Passed(Host);

    public string Verdict => Metrics.Passed
        ? $"check passed: {Plural.Of(Metrics.Compared.Count, "metric")} within their thresholds"
        : $"check FAILED: {Metrics.Failures.Count} of {Plural.Of(Metrics.Compared.Count, "metric")} moved beyond their thresholds, are missing or come from a changed profile";
}
