using System.Globalization;
using IrqBench.Harness.Stats;

namespace IrqBench.Harness.Report;

/// <summary>Number formatting for tables: invariant culture, significant digits that suit the magnitude, "–" for a
/// value that does not exist (NaN, null).</summary>
public static class Fmt
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    public static string Num(double v) => double.IsNaN(v) ? "–" : Math.Abs(v) switch
    {
        0 => "0",
        >= 1000 => v.ToString("#,0", Ci),
        >= 10 => v.ToString("0.#", Ci),
        >= 0.01 => v.ToString("0.###", Ci),
        _ => v.ToString("0.####", Ci),
    };

    public static string Num(double? v) => v is { } x ? Num(x) : "–";

    public static string Ratio(double? r) => r is { } v && !double.IsNaN(v) ? v.ToString("0.000", Ci) : "–";

    public static string Signed(double v) => double.IsNaN(v) ? "–" : (v >= 0 ? "+" : "−") + Num(Math.Abs(v));

    /// <summary>A percentage with the digits its size needs: "12.3 %", "0.59 %", "0.0007 %" (never a misleading "0 %").</summary>
    public static string Percent(double v) => double.IsNaN(v) ? "–" : Math.Abs(v) switch
    {
        0 => "0 %",
        < 0.0001 => "<0.0001 %",
        >= 10 => v.ToString("0.#", Ci) + " %",
        >= 0.1 => v.ToString("0.##", Ci) + " %",
        _ => v.ToString("0.####", Ci) + " %",
    };

    /// <summary>A median with its 95 % interval where one exists: "12.5 [12.1, 13.0]".</summary>
    public static string Median(double median, double? lo, double? hi) =>
        lo is { } l && hi is { } h && l != h ? $"{Num(median)} [{Num(l)}, {Num(h)}]" : Num(median);

    /// <summary>A paired ratio with its interval: "1.082 [1.071, 1.094]", or the ratio alone without one.</summary>
    public static string Paired(PairedRatio? r) =>
        r is null ? "–" : r is { Lower: { } lo, Upper: { } hi } ? $"{Ratio(r.Ratio)} [{Ratio(lo)}, {Ratio(hi)}]" : Ratio(r.Ratio);

    public static string Resolution(PairedRatio? r) => r?.ResolutionPercent is { } p ? "±" + Percent(p) : "–";
}
