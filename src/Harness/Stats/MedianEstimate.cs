using Perfolizer.Mathematics.Common;
using Perfolizer.Mathematics.QuantileEstimators;
using Pragmastat;

namespace IrqBench.Harness.Stats;

/// <summary>The median of a sample with a 95 % confidence interval (Harrell-Davis quantile estimator with the
/// Maritz-Jarrett interval, libs.md §2). With one value, or all values equal, the interval is that value: modelled
/// metrics vary over seeds only through the seeded randomness, so a zero-width interval is a real answer.</summary>
public sealed record MedianEstimate(int N, double Median, double Lower, double Upper)
{
    public const double Level = 0.95;

    public static MedianEstimate Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("no values", nameof(values));
        var sorted = values.Order().ToArray();
        double median = SimpleQuantileEstimator.Instance.Median(new Sample(sorted)).NominalValue;
        if (sorted.Length < 2 || sorted[0] == sorted[^1]) return new(sorted.Length, median, median, median);
        var ci = HarrellDavisQuantileEstimator.Instance
            .QuantileConfidenceIntervalEstimator(new Sample(sorted), Probability.Median)
            .ConfidenceInterval(ConfidenceLevel.L95);
        // The Maritz-Jarrett interval is symmetric around the Harrell-Davis estimate and can reach outside the data
        // for tiny samples; no value outside [min, max] was ever observed, so clamp to it, and keep the sample median
        // inside (the two estimators differ slightly).
        double lo = Math.Min(median, Math.Max(sorted[0], ci.Lower));
        double hi = Math.Max(median, Math.Min(sorted[^1], ci.Upper));
        return new(sorted.Length, median, lo, hi);
    }
}
