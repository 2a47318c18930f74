using IrqBench.Workloads.Kbuild;

namespace IrqBench.Workloads.Tests.Kbuild;

public class KbuildTests
{
    private static readonly KbuildWorkload W = new();

    private static RunSpec Small(int vcpus, ulong seed = 1, params (string, string)[] more) =>
        TestMachine.Spec(W, vcpus, seed, [("files", "40"), ("dirs", "4"), ("compile_median_ms", "5"), ("link_ms", "20"), .. more]);

    [Fact]
    public void Every_job_runs_exactly_once()
    {
        var r = KbuildWorkload.Run(Small(4), out var jobs);

        Assert.Equal(40 + 4 + 1, jobs.Count); // the compiles, one archive per directory, the link
        Assert.All(jobs, j => Assert.Equal(1, j.Executions));
        Assert.Equal(jobs.Count, r.WorkUnits);
    }

    [Fact]
    public void Reads_that_miss_the_page_cache_complete_through_device_interrupts()
    {
        var r = KbuildWorkload.Run(Small(4, 1, ("read_miss", "1"), ("reads_per_miss", "2")), out var jobs);

        long reads = jobs.Sum(j => j.Reads);
        Assert.Equal(2 * jobs.Count, reads);
        Assert.Equal(reads, r.Metrics.Get("kbuild_blk_reads").Value);
        Assert.Equal(reads, r.Metrics.ExitsMmioUser.Value); // one queue notify per read, each an exit to the VMM
        Assert.Equal(reads, r.Metrics.MsisSignalled.Value);
    }

    [Fact]
    public void Irqbalance_moves_the_disk_interrupt_now_and_then()
    {
        var r = W.Run(Small(4, 1, ("read_miss", "1"), ("irqbalance_ms", "5")));

        Assert.True(r.Metrics.Get("kbuild_irq_affinity_moves").Value > 0);
    }

    [Fact]
    public void Busy_vcpus_tick_and_a_job_slot_per_vcpu_keeps_them_busy()
    {
        var r = W.Run(Small(4));

        double seconds = TestMachine.Profile.CyclesToNs(r.SimCycles) / 1e9;
        long ticks = r.Metrics.Get("guest_ticks").Value;
        Assert.InRange(ticks, 0.5 * 4 * 250 * seconds, 1.05 * 4 * 250 * seconds);
    }

    [Fact]
    public void The_same_seed_gives_identical_results_and_another_seed_other_ones()
    {
        var a = W.Run(Small(4, 3));
        var b = W.Run(Small(4, 3));
        var c = W.Run(Small(4, 4));

        Assert.Equal(a.SimCycles, b.SimCycles);
        Assert.Equal(a.Metrics.All.Select(x => (x.Name, x.Value)), b.Metrics.All.Select(x => (x.Name, x.Value)));
        Assert.NotEqual(a.SimCycles, c.SimCycles);
    }
}
