using System.Globalization;
using Perfolizer.Mathematics.SignificanceTesting.Base;
using Perfolizer.Mathematics.SignificanceTesting.MannWhitney;
using Perfolizer.Metrology;
using Pragmastat;

namespace IrqBench.Harness.Check;

/// <summary>One benchmark's host timing against its baseline.</summary>
public sealed record HostResult(string Benchmark, int N, int M, double Ratio, double P, bool Slower, HostLimit Limit)
{
    public string Text
    {
        get
        {
            var ci = CultureInfo.InvariantCulture;
            string x = Limit.ThresholdPercent.ToString("0.##", ci), r = Ratio.ToString("F3", ci), p = P.ToString("G2", ci);
            return Slower
                ? $"slower than the baseline by more than {x} % (time ratio {r}, one-sided Mann-Whitney p = {p} < {Limit.Alpha.ToString(ci)}; {N} vs {M} iterations)"
                : $"not shown slower by more than {x} % (time ratio {r}, p = {p}; {N} vs {M} iterations)";
        }
    }
}

/// <summary>Host timings are noisy and their iterations are independent (not paired), so unlike modelled metrics they
/// are compared with an unpaired test: a benchmark fails only when its iterations are slower than the baseline's
/// scaled by 1 + X at level alpha (a one-sided Mann-Whitney test, Perfolizer). Faster, indistinguishable or
/// undecidable passes.</summary>
public static class HostTimingCheck
{
    public static List<HostResult> Run(Dictionary<string, List<double>> baseline, Dictionary<string, List<double>> current, HostLimit limit) =>
        baseline.Keys.Where(current.ContainsKey).Order(StringComparer.Ordinal).Select(k =>
        {
            var now = new Sample(current[k].ToArray());
            // The baseline scaled explicitly, rather than through a Perfolizer Threshold, so that the hypothesis is visible here.
            var scaled = new Sample(baseline[k].Select(v => v * (1 + limit.ThresholdPercent / 100)).ToArray());
            double p = MannWhitneyTest.Instance.Perform(now, scaled, AlternativeHypothesis.Greater, Threshold.Zero).PValue;
            double ratio = Toolkit.Ratio(now, new Sample(baseline[k].ToArray())).NominalValue;
            return new HostResult(k, current[k].Count, baseline[k].Count, ratio, p, p < limit.Alpha, limit);
        }).ToList();

    public static bool Passed(IEnumerable<HostResult> results) => results.All(r => !r.Slower);
}

/// <summary>The host-timing threshold: "slower by more than X % at level alpha" fails.</summary>
public sealed record HostLimit(double ThresholdPercent, double Alpha)
{
    public static readonly HostLimit Default = new(10, 0.01);
}
