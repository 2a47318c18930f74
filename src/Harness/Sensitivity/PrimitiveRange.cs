using System.Globalization;
using System.Text.RegularExpressions;
using IrqBench.Machine.Costs;

namespace IrqBench.Harness.Sensitivity;

/// <summary>The low and high values a primitive is varied to: the range its source documents ("range 100-500
/// cycles"), or ±<c>fraction</c> of its value where it documents none.</summary>
public sealed record PrimitiveRange(string Section, string Name, long Base, long Low, long High, bool Documented)
{
    private static readonly Regex Documented_ = new(@"range (\d[\d,]*)\s*-\s*(\d[\d,]*) cycles", RegexOptions.CultureInvariant);

    public string Key => $"{Section}.{Name}";

    public static PrimitiveRange For(Primitive p, double fraction)
    {
        var m = Documented_.Match(p.Source);
        if (m.Success)
        {
            long lo = long.Parse(m.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            long hi = long.Parse(m.Groups[2].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            if (lo <= p.Cycles && p.Cycles <= hi && lo < hi) return new(p.Section, p.Name, p.Cycles, lo, hi, true);
        }
        return new(p.Section, p.Name, p.Cycles, (long)Math.Round(p.Cycles * (1 - fraction)), (long)Math.Round(p.Cycles * (1 + fraction)), false);
    }
}
