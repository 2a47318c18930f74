namespace IrqBench.Harness.Suite;

/// <summary>What <c>compare</c>'s options narrow the suite to; null (or empty) keeps the suite's own choice.</summary>
public sealed record SuiteSelection(
    IReadOnlyList<string>? Profiles = null,
    IReadOnlyList<string>? Controllers = null,
    IReadOnlyList<string>? Workloads = null,
    IReadOnlyList<int>? Vcpus = null,
    int? Seeds = null,
    string Baseline = Stats.Summarizer.Gicv3)
{
    public static readonly SuiteSelection All = new();
}
