using Perfolizer.Mathematics.Distributions.DiscreteDistributions;
using Perfolizer.Mathematics.QuantileEstimators;
using Pragmastat;

namespace IrqBench.Harness.Stats;

/// <summary>The median of a sample over seeds with its distribution-free 95 % interval: the order statistics x(k) and
/// x(n + 1 − k), k the largest with P(B ≤ k − 1) ≤ 2.5 % for B ~ Binomial(n, ½) (the sign test inverted; Perfolizer's
/// binomial distribution). The interval exists from 6 values on: the minimum and maximum of 5 values hold the median
/// only 93.75 % of the time, so with fewer values there is no 95 % interval and none is given.</summary>
public sealed record MedianEstimate(int N, double Median, double? Lower, double? Upper)
{
    public const double AlphaOneSided = 0.025;

    public static MedianEstimate Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("no values", nameof(values));
        var sorted = values.Order().ToArray();
        double median = SimpleQuantileEstimator.Instance.Median(new Sample(sorted)).NominalValue;
        int k = LowerRank(sorted.Length);
        return k == 0 ? new(sorted.Length, median, null, null) : new(sorted.Length, median, sorted[k - 1], sorted[^k]);
    }

    /// <summary>The rank of the interval's lower end (1-based), 0 when n values give no 95 % interval.</summary>
    public static int LowerRank(int n)
    {
        var b = new BinomialDistribution(n, Probability.Half);
        int k = 0;
        while (k < n / 2 && b.Cdf(k) <= AlphaOneSided) k++;
        return k;
    }
}
