namespace IrqBench.Harness.Report;

/// <summary>A workload as plotted: name, profile and parameters (the runs of one case differ only in controller, vCPU
/// count and seed). <see cref="Label"/> shows only what distinguishes it from the other cases.</summary>
public sealed record WorkloadCase(string Workload, string Profile, string Params, string WorkUnit, string Label)
{
    /// <summary>A name safe for a file: letters, digits, '-' and '.' only.</summary>
    public string FileStem => new(Label.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '-').ToArray());
}
