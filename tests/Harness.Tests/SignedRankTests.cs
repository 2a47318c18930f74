using IrqBench.Harness.Stats;
using Pragmastat;

namespace IrqBench.Harness.Tests;

/// <summary>The exact signed-rank distribution and the interval it gives, against values that can be counted by hand
/// or are tabulated.</summary>
public sealed class SignedRankTests
{
    /// <summary>Every sign pattern of n ranks, counted directly: P(W+ ≤ w).</summary>
    private static double BruteCdf(int n, int w)
    {
        int hits = 0;
        for (int m = 0; m < 1 << n; m++)
        {
            int sum = 0;
            for (int r = 1; r <= n; r++) if ((m >> (r - 1) & 1) == 1) sum += r;
            if (sum <= w) hits++;
        }
        return hits / (double)(1 << n);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(13)]
    public void The_distribution_of_w_plus_is_the_count_of_sign_patterns(int n)
    {
        for (int w = -1; w <= n * (n + 1) / 2 + 1; w++)
            Assert.Equal(BruteCdf(n, w), SignedRank.Cdf(n, w), 12);
    }

    [Fact]
    public void Ten_pairs_give_the_tabulated_interval_ranks_and_coverage()
    {
        // P(W+ ≤ 8) = 25/1024 ≤ 2.5 % < P(W+ ≤ 9) = 33/1024: the 95 % interval runs from the 9th smallest to the 9th
        // largest of the 55 Walsh averages, with exact coverage 1 − 50/1024 (R: qsignrank(0.025, 10) = 9).
        Assert.Equal(9, SignedRank.LowerRank(10, 0.025));
        Assert.Equal(1 - 50.0 / 1024, SignedRank.AchievedConfidence(10, 9), 12);
    }

    [Fact]
    public void Six_pairs_are_the_fewest_with_a_95_percent_interval()
    {
        // 2^-5 = 3.1 % > 2.5 % ≥ 2^-6 = 1.6 %: with 5 pairs even "all positive" is too likely to reject anything.
        Assert.Equal(6, SignedRank.MinimumPairs(0.025));
        Assert.Equal(0, SignedRank.LowerRank(5, 0.025));
        Assert.Equal(1, SignedRank.LowerRank(6, 0.025));
    }

    [Fact]
    public void The_centre_is_the_hodges_lehmann_estimate_pragmastat_computes()
    {
        var rng = new Random(7);
        for (int trial = 0, trials = IrqBench.Tests.PropertySize.Samples(50, opsPerSample: 7); trial < trials; trial++)
        {
            var x = Enumerable.Range(0, 3 + trial % 9).Select(_ => rng.NextDouble() * 10 - 5).ToArray();
            Assert.Equal(Toolkit.Center(new Sample(x)).NominalValue, SignedRank.MedianOfSorted(SignedRank.WalshAverages(x)), 9);
        }
    }

    [Fact]
    public void The_95_percent_interval_covers_the_true_ratio_about_95_percent_of_the_time()
    {
        // Log-normal per-seed ratios around 1.03 with a 2 % spread, 10 seeds: the exact interval's coverage is
        // 95.1 %; over 2000 seeded trials the observed rate must be within sampling error (±1.5 %) of it.
        var rng = new Random(11);
        int covered = 0, trials = 2000;
        for (int t = 0; t < trials; t++)
        {
            var baseline = Enumerable.Range(0, 10).Select(_ => 100 + rng.NextDouble() * 50).ToArray();
            var candidate = baseline.Select(b => b * Math.Exp(Math.Log(1.03) + 0.02 * Normal(rng))).ToArray();
            var r = PairedRatio.Of(candidate, baseline)!;
            if (r.Lower <= 1.03 && 1.03 <= r.Upper) covered++;
        }
        Assert.InRange(covered / (double)trials, 0.935, 0.965);
    }

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
