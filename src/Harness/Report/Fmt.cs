using System.Globalization;

namespace IrqBench.Harness.Report;

/// <summary>Number formatting for tables: invariant culture, significant digits that suit the magnitude.</summary>
public static class Fmt
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    public static string Num(double v) => Math.Abs(v) switch
    {
        0 => "0",
        >= 1000 => v.ToString("#,0", Ci),
        >= 10 => v.ToString("0.#", Ci),
        >= 0.01 => v.ToString("0.###", Ci),
        _ => v.ToString("0.####", Ci),
    };

    public static string Ratio(double? r) => r is { } v ? v.ToString("0.000", Ci) : "–";

    public static string Signed(double v) => (v >= 0 ? "+" : "−") + Num(Math.Abs(v));

    public static string Ci95(double median, double lo, double hi) => lo == hi ? Num(median) : $"{Num(median)} [{Num(lo)}, {Num(hi)}]";
}
