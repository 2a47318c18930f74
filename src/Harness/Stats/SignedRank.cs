using System.Collections.Concurrent;

namespace IrqBench.Harness.Stats;

/// <summary>
/// The exact Wilcoxon signed-rank distribution and the distribution-free confidence interval it gives for the centre
/// of a sample of paired differences: the interval between two order statistics of the Walsh averages
/// (x_i + x_j) / 2, i ≤ j, whose median is the Hodges-Lehmann estimate (Hollander, Wolfe &amp; Chicken,
/// <i>Nonparametric Statistical Methods</i>, 3rd ed., §3.2 and §3.3; R's <c>wilcox.test(conf.int = TRUE)</c>).
/// Neither Perfolizer 0.6.1 nor Pragmastat 3.2.4 has a one-sample signed-rank test or its interval, so it is here.
/// </summary>
/// <remarks>Exact for every n: under the null hypothesis each of the 2^n sign patterns is equally likely, and the
/// distribution of W+ (the sum of the ranks of the positive differences) is counted by dynamic programming over the
/// ranks, O(n³) and only up to the lower tail the interval needs. With ties the interval is still the standard one;
/// its coverage is then at least nominal.</remarks>
public static class SignedRank
{
    private static readonly ConcurrentDictionary<int, double[]> LowerTails = new();

    /// <summary>P(W+ ≤ w) for <paramref name="n"/> pairs under the null hypothesis; exact for w up to n(n+1)/4 (the
    /// lower half, which is all a lower tail needs), the symmetric complement above.</summary>
    public static double Cdf(int n, int w)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, "a sample size is ≥ 0");
        int max = n * (n + 1) / 2;
        if (w < 0) return 0;
        if (w >= max) return 1;
        var tail = LowerTail(n);
        if (w < tail.Length) return tail[w];
        // W+ is symmetric about n(n+1)/4: P(W+ ≤ w) = 1 − P(W+ ≤ max − w − 1).
        return 1 - tail[max - w - 1];
    }

    /// <summary>The cumulative probabilities P(W+ ≤ w) for w = 0 .. ⌊n(n+1)/4⌋.</summary>
    private static double[] LowerTail(int n) => LowerTails.GetOrAdd(n, static n =>
    {
        int top = n * (n + 1) / 4;
        // p[w] = P(W+ = w) over the ranks added so far; each rank is in W+ with probability 1/2.
        var p = new double[top + 1];
        p[0] = 1;
        for (int r = 1; r <= n; r++)
            for (int w = top; w >= 0; w--)
                p[w] = 0.5 * (p[w] + (w >= r ? p[w - r] : 0));
        var cdf = new double[top + 1];
        double sum = 0;
        for (int w = 0; w <= top; w++) cdf[w] = sum += p[w];
        return cdf;
    });

    /// <summary>The rank k of the interval's lower end among the sorted Walsh averages (1-based; the upper end is the
    /// k-th largest): the largest k with P(W+ ≤ k − 1) ≤ <paramref name="alphaOneSided"/>. 0 when no k exists: with
    /// so few pairs even W+ = 0 is more likely than alpha, and no interval at that level exists.</summary>
    public static int LowerRank(int n, double alphaOneSided)
    {
        int k = 0;
        while (k < n * (n + 1) / 2 && Cdf(n, k) <= alphaOneSided) k++;
        return k;
    }

    /// <summary>The confidence the interval of rank k actually has for n pairs: 1 − 2·P(W+ ≤ k − 1) (the
    /// distribution is discrete, so it is at least the level asked for, not exactly it).</summary>
    public static double AchievedConfidence(int n, int k) => 1 - 2 * Cdf(n, k - 1);

    /// <summary>The fewest pairs for which an interval at one-sided level alpha exists: the smallest n with
    /// 2^−n ≤ alpha (P(W+ = 0) = 2^−n).</summary>
    public static int MinimumPairs(double alphaOneSided)
    {
        int n = 1;
        while (Math.Pow(2, -n) > alphaOneSided) n++;
        return n;
    }

    /// <summary>All n(n+1)/2 Walsh averages (x_i + x_j) / 2 for i ≤ j, sorted ascending. Values may be −∞ (the
    /// logarithm of a zero count); they sort first and average to −∞, never NaN.</summary>
    public static double[] WalshAverages(IReadOnlyList<double> x)
    {
        var w = new double[x.Count * (x.Count + 1) / 2];
        int at = 0;
        for (int i = 0; i < x.Count; i++)
            for (int j = i; j < x.Count; j++)
                w[at++] = x[i] == x[j] ? x[i] : (x[i] + x[j]) / 2;
        Array.Sort(w);
        return w;
    }

    /// <summary>The median of sorted values (the mean of the middle pair for an even count).</summary>
    public static double MedianOfSorted(IReadOnlyList<double> sorted)
    {
        int m = sorted.Count / 2;
        if (sorted.Count % 2 == 1) return sorted[m];
        return sorted[m - 1] == sorted[m] ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }
}
