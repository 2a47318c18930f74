using IrqBench.Harness.Output;
using IrqBench.Harness.Stats;

namespace IrqBench.Harness.Tests;

/// <summary>Summary statistics on inputs whose answers are known.</summary>
public sealed class StatisticsTests
{
    [Fact]
    public void The_median_of_an_odd_sample_is_its_middle_value_and_its_interval_holds_it()
    {
        var e = MedianEstimate.Of([5, 1, 4, 2, 3]);
        Assert.Equal((5, 3.0), (e.N, e.Median));
        Assert.InRange(e.Lower, 1, 3);
        Assert.InRange(e.Upper, 3, 5);
        Assert.True(e.Upper > e.Lower);
    }

    [Fact]
    public void The_median_of_an_even_sample_averages_the_middle_pair()
    {
        Assert.Equal(2.5, MedianEstimate.Of([4, 1, 3, 2]).Median);
    }

    [Fact]
    public void Equal_values_have_a_zero_width_interval()
    {
        var e = MedianEstimate.Of([7, 7, 7]);
        Assert.Equal((7.0, 7.0, 7.0), (e.Median, e.Lower, e.Upper));
    }

    [Fact]
    public void The_smallest_one_sided_mann_whitney_p_is_one_over_n_plus_m_choose_n()
    {
        Assert.Equal(0.05, Verdict.MinimumP(3, 3), 12);
        Assert.Equal(1.0 / 70, Verdict.MinimumP(4, 4), 12);
        Assert.Equal(1.0 / 252, Verdict.MinimumP(5, 5), 12);
    }

    private static readonly double[] Gicv3 = [100, 101, 99, 100.5, 99.5];

    [Fact]
    public void Twenty_percent_slower_on_every_seed_is_slower_by_more_than_five_percent()
    {
        var v = Verdict.Compare("rvic", Gicv3.Select(x => x * 1.2).ToList(), "gicv3", Gicv3, 5, 0.05);
        Assert.Equal(VerdictKind.Slower, v.Kind);
        Assert.Equal(1.2, v.Ratio, 2);
        Assert.Contains("rvic is slower than gicv3 by more than 5 %", v.Text);
    }

    [Fact]
    public void Twenty_percent_faster_is_faster()
    {
        Assert.Equal(VerdictKind.Faster, Verdict.Compare("rvic", Gicv3.Select(x => x * 0.8).ToList(), "gicv3", Gicv3, 5, 0.05).Kind);
    }

    [Fact]
    public void One_percent_apart_is_indistinguishable_within_five_percent()
    {
        var v = Verdict.Compare("rvic", Gicv3.Select(x => x * 1.01).ToList(), "gicv3", Gicv3, 5, 0.05);
        Assert.Equal(VerdictKind.Equivalent, v.Kind);
        Assert.Contains("indistinguishable within ±5 %", v.Text);
    }

    [Fact]
    public void Five_percent_apart_against_a_five_percent_threshold_is_inconclusive()
    {
        Assert.Equal(VerdictKind.Inconclusive, Verdict.Compare("rvic", Gicv3.Select(x => x * 1.05).ToList(), "gicv3", Gicv3, 5, 0.05).Kind);
    }

    [Fact]
    public void Three_seeds_each_can_never_give_a_verdict_at_five_percent()
    {
        var v = Verdict.Compare("rvic", [200, 201, 202], "gicv3", [100, 101, 102], 5, 0.05);
        Assert.Equal(VerdictKind.TooFewSeeds, v.Kind);
        Assert.Contains("smallest achievable p is 0.05", v.Text);
    }

    private static RunRow Row(string controller, ulong seed, double simNs, long exits) => new()
    {
        Controller = controller, Workload = "hackbench", Profile = "altra-vhe", Vcpus = 4, Seed = seed, Params = "groups=1",
        SimNs = simNs, WorkUnits = 100, WorkUnit = "message", ThroughputPerS = 100 / (simNs / 1e9), ExitsTotal = exits,
    };

    [Fact]
    public void Summary_holds_the_median_over_seeds_and_ratios_against_gicv3_and_ideal()
    {
        var runs = new[]
        {
            Row("rvic", 1, 1200, 30), Row("rvic", 2, 1100, 10), Row("rvic", 3, 1300, 20),
            Row("gicv3", 1, 1000, 40), Row("gicv3", 2, 1000, 40), Row("gicv3", 3, 1000, 40),
            Row("ideal", 3, 800, 0), Row("ideal", 1, 800, 0), Row("ideal", 2, 800, 0),
        };
        var s = Summarizer.Summarize(runs);
        var rvicTime = s.Single(r => r.Controller == "rvic" && r.Metric == "ns_per_unit");
        Assert.Equal((3, 12.0), (rvicTime.N, rvicTime.Median));
        Assert.Equal(1.2, rvicTime.RatioVsGicv3);
        Assert.Equal(1.5, rvicTime.RatioVsIdeal);
        Assert.True(rvicTime.CiLower <= 12 && rvicTime.CiUpper >= 12 && rvicTime.CiUpper > rvicTime.CiLower);
        var rvicExits = s.Single(r => r.Controller == "rvic" && r.Metric == "exits_total");
        Assert.Equal(20, rvicExits.Median);
        Assert.Null(s.Single(r => r.Controller == "ideal" && r.Metric == "exits_total").RatioVsIdeal); // 0/0 has no ratio
        // Controllers in report order whatever the input order.
        Assert.Equal(["gicv3", "rvic", "ideal"], s.Select(r => r.Controller).Distinct());
    }

    [Fact]
    public void Summary_does_not_depend_on_the_order_of_the_runs()
    {
        var runs = new[] { Row("rvic", 1, 1200, 30), Row("gicv3", 2, 1000, 40), Row("rvic", 2, 1100, 10), Row("gicv3", 1, 990, 40) };
        Assert.Equal(CsvFiles.ToText(Summarizer.Summarize(runs)), CsvFiles.ToText(Summarizer.Summarize(runs.Reverse())));
    }
}

/// <summary>The tiny samples a sweep with one or two seeds gives.</summary>
public sealed class TinySampleTests
{
    [Fact]
    public void One_and_two_values_have_a_median_and_an_interval_inside_the_data()
    {
        Assert.Equal((1, 4.0, 4.0, 4.0), (MedianEstimate.Of([4]).N, MedianEstimate.Of([4]).Median, MedianEstimate.Of([4]).Lower, MedianEstimate.Of([4]).Upper));
        var two = MedianEstimate.Of([2, 4]);
        Assert.Equal(3, two.Median);
        Assert.InRange(two.Lower, 2, 3);
        Assert.InRange(two.Upper, 3, 4);
    }

    [Fact]
    public void One_seed_each_gives_no_verdict_rather_than_an_error()
    {
        Assert.Equal(VerdictKind.TooFewSeeds, Verdict.Compare("rvic", [200], "gicv3", [100], 5, 0.05).Kind);
        Assert.Equal(VerdictKind.TooFewSeeds, Verdict.Compare("rvic", [200, 210], "gicv3", [100, 101], 5, 0.05).Kind);
    }
}
