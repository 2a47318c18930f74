using System.Globalization;

namespace IrqBench.Harness;

/// <summary>Counts with the right noun form in every printed sentence: "1 run", "2 runs", "1 seed", "0 seeds".</summary>
public static class Plural
{
    public static string Of(long n, string singular, string? plural = null) =>
        $"{n.ToString(CultureInfo.InvariantCulture)} {(n == 1 ? singular : plural ?? singular + "s")}";
}
