using IrqBench.Harness.Output;
using IrqBench.Harness.Stats;
using IrqBench.Harness.Suite;

namespace IrqBench.Harness.Tests;

/// <summary>Paired verdicts on inputs whose answers are known.</summary>
public sealed class PairedVerdictTests
{
    private static readonly int Seeds = SuiteDefinition.DefaultSeeds;

    /// <summary>Baseline times per unit that spread ±20 % over seeds, as different seeds' schedules do.</summary>
    private static double[] Spread(int n) => Enumerable.Range(0, n).Select(i => 1000 * (0.8 + 0.4 * i / (n - 1))).ToArray();

    private static Verdict Decide(double[] candidate, double[] baseline, double thresholdPercent) =>
        Verdict.Decide("rvic", "gicv3", PairedRatio.Of(candidate, baseline)!, thresholdPercent);

    [Fact]
    public void A_constant_one_percent_slowdown_is_slower_at_half_a_percent_despite_a_twenty_percent_spread_of_the_seeds()
    {
        // Paired, the ±20 % the seeds do to both sides cancels; unpaired, 1 % inside a ±20 % spread could never be told.
        // Threshold 0.5 %: the design claims to resolve ±1 %, so a 1 % difference must clear a band half that wide.
        var b = Spread(Seeds);
        var v = Decide(b.Select(x => x * 1.01).ToArray(), b, 0.5);
        Assert.Equal(VerdictKind.Slower, v.Kind);
        Assert.Equal(1.01, v.Ratio.Ratio, 9);
        Assert.Contains("rvic is slower than gicv3 by more than 0.5 %", v.Text);
    }

    [Fact]
    public void One_percent_with_per_seed_noise_of_a_few_tenths_of_a_percent_is_still_slower_at_half_a_percent()
    {
        var b = Spread(Seeds);
        double[] wobble = [0.003, -0.002, 0.001, -0.003, 0.002, 0, -0.001, 0.003, -0.002, 0.001];
        var v = Decide(b.Select((x, i) => x * 1.01 * (1 + wobble[i % wobble.Length])).ToArray(), b, 0.5);
        Assert.Equal(VerdictKind.Slower, v.Kind);
        Assert.InRange(v.Ratio.Lower!.Value, 1.005, 1.01);
        Assert.True(v.Ratio.ResolutionPercent < 1, $"resolves ±{v.Ratio.ResolutionPercent} %");
    }

    [Fact]
    public void A_constant_ten_percent_slowdown_is_slower_at_five_percent()
    {
        var b = Spread(Seeds);
        Assert.Equal(VerdictKind.Slower, Decide(b.Select(x => x * 1.1).ToArray(), b, 5).Kind);
    }

    [Fact]
    public void A_constant_ten_percent_speed_up_is_faster_at_five_percent()
    {
        var b = Spread(Seeds);
        var v = Decide(b.Select(x => x * 0.9).ToArray(), b, 5);
        Assert.Equal(VerdictKind.Faster, v.Kind);
        Assert.Contains("rvic is faster than gicv3 by more than 5 %", v.Text);
    }

    [Fact]
    public void Identical_samples_are_equivalent_with_a_ratio_of_one_and_no_width()
    {
        var b = Spread(Seeds);
        var v = Decide(b, b, 5);
        Assert.Equal(VerdictKind.Equivalent, v.Kind);
        Assert.Equal((1.0, 1.0, 1.0), (v.Ratio.Ratio, v.Ratio.Lower!.Value, v.Ratio.Upper!.Value));
        Assert.Contains("rvic and gicv3 are equivalent within ±5 %", v.Text);
    }

    [Fact]
    public void Per_seed_ratios_that_straddle_the_band_edge_are_inconclusive()
    {
        var b = Spread(Seeds);
        var v = Decide(b.Select((x, i) => x * (i % 2 == 0 ? 1.02 : 1.08)).ToArray(), b, 5);
        Assert.Equal(VerdictKind.Inconclusive, v.Kind);
        Assert.True(v.Ratio.Lower < 1.05 && v.Ratio.Upper > 1.05);
    }

    [Fact]
    public void Five_seeds_say_they_are_too_few_even_for_a_doubling()
    {
        var b = Spread(5);
        var v = Decide(b.Select(x => x * 2).ToArray(), b, 5);
        Assert.Equal(VerdictKind.TooFewSeeds, v.Kind);
        Assert.Null(v.Ratio.Lower);
        Assert.Contains("no verdict with 5 paired seeds: a 95 % interval needs at least 6", v.Text);
    }

    [Fact]
    public void One_seed_gives_a_ratio_and_no_verdict_rather_than_an_error()
    {
        var v = Decide([200], [100], 5);
        Assert.Equal((VerdictKind.TooFewSeeds, 2.0), (v.Kind, v.Ratio.Ratio));
        Assert.Contains("1 paired seed:", v.Text);
    }

    [Fact]
    public void The_ratio_of_b_to_a_is_the_reciprocal_of_a_to_b()
    {
        double[] a = [110, 205, 290, 420, 480, 630, 700], b = [100, 200, 300, 400, 500, 600, 700];
        var ab = PairedRatio.Of(a, b)!;
        var ba = PairedRatio.Of(b, a)!;
        Assert.Equal(1 / ab.Ratio, ba.Ratio, 12);
        Assert.Equal(1 / ab.Lower!.Value, ba.Upper!.Value, 12);
    }

    [Fact]
    public void A_zero_count_gives_a_zero_ratio_and_a_zero_baseline_gives_none()
    {
        Assert.Equal(0, PairedRatio.Of([0, 0, 0], [5, 6, 7])!.Ratio);
        Assert.Null(PairedRatio.Of([1, 2, 3], [5, 0, 7]));
    }

    [Fact]
    public void The_seeds_for_a_resolution_grow_with_the_square_of_the_spread()
    {
        var rng = new Random(3);
        var b = Enumerable.Range(0, 20).Select(_ => 100.0).ToArray();
        var noise = Enumerable.Range(0, 20).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var narrow = PairedRatio.Of(noise.Select(e => 100 * Math.Exp(0.05 * e)).ToArray(), b)!;
        var wide = PairedRatio.Of(noise.Select(e => 100 * Math.Exp(0.15 * e)).ToArray(), b)!;
        Assert.Equal(3, wide.LogSpread / narrow.LogSpread, 9);
        Assert.InRange(wide.SeedsFor(1)!.Value / (double)narrow.SeedsFor(1)!.Value, 7, 11);
        Assert.Equal(PairedRatio.MinimumPairs, PairedRatio.Of(b, b)!.SeedsFor(1));
    }
}

/// <summary>The median over seeds and its distribution-free interval.</summary>
public sealed class MedianTests
{
    [Fact]
    public void Five_values_have_a_median_and_no_95_percent_interval()
    {
        var e = MedianEstimate.Of([5, 1, 4, 2, 3]);
        Assert.Equal((5, 3.0, (double?)null, (double?)null), (e.N, e.Median, e.Lower, e.Upper));
    }

    [Fact]
    public void Six_values_have_their_extremes_as_the_interval_and_ten_the_second_smallest_and_largest()
    {
        // Binomial(6, ½): P(B ≤ 0) = 1.6 % ≤ 2.5 %; Binomial(10, ½): P(B ≤ 1) = 1.1 % ≤ 2.5 % < P(B ≤ 2) = 5.5 %.
        var six = MedianEstimate.Of([6, 1, 5, 2, 4, 3]);
        Assert.Equal((3.5, 1.0, 6.0), (six.Median, six.Lower!.Value, six.Upper!.Value));
        var ten = MedianEstimate.Of([10, 1, 9, 2, 8, 3, 7, 4, 6, 5]);
        Assert.Equal((5.5, 2.0, 9.0), (ten.Median, ten.Lower!.Value, ten.Upper!.Value));
    }

    private static RunRow Row(string controller, ulong seed, double simNs, long exits) => new()
    {
        Controller = controller, Workload = "hackbench", Profile = "altra-vhe", Vcpus = 4, Seed = seed, Params = "groups=1",
        SimNs = simNs, WorkUnits = 100, WorkUnit = "message", ThroughputPerS = 100 / (simNs / 1e9), ExitsTotal = exits,
    };

    [Fact]
    public void Summary_ratios_are_paired_by_seed_not_ratios_of_medians()
    {
        // Per-seed ratios 1.2, 1.2, 1.1: Walsh averages of their logs l, l, l, l, (l+m)/2, (l+m)/2, m sorted give the
        // centre (3 ln 1.2 + ln 1.1) / 4; the ratio of the medians would be 2400 / 2000 = 1.2.
        var runs = new[]
        {
            Row("rvic", 1, 1200, 30), Row("rvic", 2, 2400, 10), Row("rvic", 3, 3300, 20),
            Row("gicv3", 1, 1000, 40), Row("gicv3", 2, 2000, 40), Row("gicv3", 3, 3000, 40),
            Row("ideal", 3, 3000, 0), Row("ideal", 1, 1000, 0), Row("ideal", 2, 2000, 0),
        };
        var s = Summarizer.Summarize(runs);
        var rvic = s.Single(r => r.Controller == "rvic" && r.Metric == "ns_per_unit");
        Assert.Equal((3, 24.0), (rvic.N, rvic.Median));
        Assert.Equal(Math.Round(Math.Pow(1.2, 0.75) * Math.Pow(1.1, 0.25), 4), rvic.RatioVsGicv3);
        Assert.Null(rvic.CiLower); // three seeds: no 95 % interval of a median exists
        Assert.Equal(0, s.Single(r => r.Controller == "ideal" && r.Metric == "exits_total").RatioVsGicv3);
        Assert.Null(s.Single(r => r.Controller == "ideal" && r.Metric == "exits_total").RatioVsIdeal); // 0/0 has no ratio
        Assert.Equal(["gicv3", "rvic", "ideal"], s.Select(r => r.Controller).Distinct());
    }

    [Fact]
    public void Summary_does_not_depend_on_the_order_of_the_runs()
    {
        var runs = new[] { Row("rvic", 1, 1200, 30), Row("gicv3", 2, 1000, 40), Row("rvic", 2, 1100, 10), Row("gicv3", 1, 990, 40) };
        Assert.Equal(CsvFiles.ToText(Summarizer.Summarize(runs)), CsvFiles.ToText(Summarizer.Summarize(runs.Reverse())));
    }
}
