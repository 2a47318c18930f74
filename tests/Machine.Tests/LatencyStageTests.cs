using IrqBench.Machine.Metrics;

namespace IrqBench.Machine.Tests;

/// <summary>An interrupt's latency split at the milestones of its path: the stages always add up to the latency.</summary>
public class LatencyStageTests
{
    private static long[] Split(long raised, long kick, long exit, long injected, long entered, long exception, long acked)
    {
        var s = new long[LatencyStages.All.Count];
        LatencyStages.Split(raised, kick, exit, injected, entered, exception, acked, s);
        return s;
    }

    [Fact]
    public void Each_stage_runs_from_one_milestone_to_the_next_along_the_path()
    {
        Assert.Equal([100, 600, 900, 400, 0, 150], Split(1000, 1100, 1700, 2600, 3000, 3000, 3150));
    }

    [Fact]
    public void A_milestone_from_before_the_interrupt_was_raised_leaves_its_stage_empty()
    {
        // No kick for this one (the last kick and exit were for something earlier): the target was already in the
        // hypervisor, injected the interrupt at 1200 and entered at 1500.
        var s = Split(1000, 400, 500, 1200, 1500, 1600, 1700);
        Assert.Equal([0, 0, 200, 300, 100, 100], s);
        Assert.Equal(700, s.Sum());
    }

    [Theory]
    [InlineData(1000, 5000, 100, 2000, 3000, 9000, 4000)]
    [InlineData(1000, long.MinValue, long.MinValue, long.MinValue, long.MinValue, long.MinValue, 1234)]
    [InlineData(5000, 1, 2, 3, 4, 5, 4000)]
    public void Whatever_the_milestones_the_stages_add_up_to_the_latency_and_none_is_negative(
        long raised, long kick, long exit, long injected, long entered, long exception, long acked)
    {
        var s = Split(raised, kick, exit, injected, entered, exception, acked);
        Assert.Equal(Math.Max(0, acked - raised), s.Sum());
        Assert.All(s, x => Assert.True(x >= 0));
    }
}
