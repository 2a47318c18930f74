namespace IrqBench.Harness.Plots;

/// <summary>A plot written to the plots folder: its PNG file name, and the sentence report.md puts under it saying
/// what it shows and where its numbers are.</summary>
public sealed record RenderedPlot(string File, string Caption);
