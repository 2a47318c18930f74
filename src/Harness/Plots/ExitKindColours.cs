using ScottPlot;

namespace IrqBench.Harness.Plots;

/// <summary>Colours of exit reasons: seven of Paul Tol's "muted" scheme (colour-blind safe), without its indigo and
/// cyan, so that no exit reason shares a hue with a controller's blue, sky blue, vermillion or black.</summary>
public static class ExitKindColours
{
    private static readonly Dictionary<string, string> Hex = new(StringComparer.Ordinal)
    {
        ["hvc"] = "#882255", ["mmio"] = "#DDCC77", ["sysreg"] = "#44AA99", ["wfi"] = "#999933",
        ["kick"] = "#CC6677", ["maintenance"] = "#AA4499", ["timer"] = "#117733",
    };

    public static Color Of(string reason) => Color.FromHex(Hex.TryGetValue(reason, out var h) ? h : "#DDDDDD");
}
