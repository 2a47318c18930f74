namespace IrqBench.Harness.Plots;

/// <summary>The plots of a results folder: those drawn, and for each one not drawn the sentence saying why (it would
/// have been degenerate: one point, no data, nothing to compare), which report.md lists.</summary>
public sealed class PlotSet
{
    private readonly List<RenderedPlot> drawn = [];
    private readonly List<string> skipped = [];

    public IReadOnlyList<RenderedPlot> Drawn => drawn;
    public IReadOnlyList<string> Skipped => skipped;

    public void Add(RenderedPlot p) => drawn.Add(p);
    public void Skip(string why) => skipped.Add(why);
}
