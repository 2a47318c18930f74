using IrqBench.Workloads.Hackbench;
using IrqBench.Workloads.Kbuild;

namespace IrqBench.Workloads.Tests.Common;

/// <summary>Runs of one seed share every random draw that does not depend on the controller: each task, job and disk
/// request draws from a stream named by its identity, so a run that schedules differently (here: a costlier context
/// switch) still gives each of them the same draws.</summary>
public class CommonRandomNumbersTests
{
    private static Machine.Costs.CostProfile SlowerSwitches =>
        TestMachine.Profile.With("guest", "context_switch", 4 * TestMachine.Profile.Get("guest", "context_switch"));

    [Fact]
    public void Each_hackbench_task_draws_the_same_user_work_sequence_under_a_profile_that_schedules_differently()
    {
        var w = new HackbenchWorkload();
        var spec = TestMachine.Spec(w, 4, 5, ("groups", "2"), ("fds", "5"), ("loops", "20"), ("socket_sndbuf", "8192"));
        var a = HackbenchWorkload.Run(spec, out var pa);
        var b = HackbenchWorkload.Run(spec with { Profile = SlowerSwitches }, out var pb);

        Assert.NotEqual(a.SimCycles, b.SimCycles);
        Assert.NotEqual(a.Metrics.Get("guest_context_switches").Value, b.Metrics.Get("guest_context_switches").Value);
        for (int i = 0; i < pa.Children.Count; i++)
        {
            Assert.Equal(pa.Children[i].UserWorkDraws, pb.Children[i].UserWorkDraws);
            Assert.Equal(pa.Children[i].UserWorkCycles, pb.Children[i].UserWorkCycles);
        }
        // The streams are per task: two tasks do not draw the same numbers.
        Assert.NotEqual(pa.Children[0].UserWorkCycles, pa.Children[1].UserWorkCycles);
    }

    [Fact]
    public void Each_kbuild_job_and_each_of_its_disk_reads_draw_the_same_numbers_under_a_profile_that_schedules_differently()
    {
        var w = new KbuildWorkload();
        var spec = TestMachine.Spec(w, 4, 9, ("files", "24"), ("dirs", "3"), ("compile_median_ms", "2"), ("link_ms", "5"),
            ("read_miss", "0.5"), ("reads_per_miss", "3"));
        var a = KbuildWorkload.Run(spec, out var ja);
        var b = KbuildWorkload.Run(spec with { Profile = SlowerSwitches }, out var jb);

        Assert.NotEqual(a.SimCycles, b.SimCycles);
        Assert.Equal(ja.Select(j => (j.Name, j.CpuCycles, j.Reads, j.DiskCycles)), jb.Select(j => (j.Name, j.CpuCycles, j.Reads, j.DiskCycles)));
        Assert.Contains(ja, j => j.DiskCycles > 0);
    }
}
