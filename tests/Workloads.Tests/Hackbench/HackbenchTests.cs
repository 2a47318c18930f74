using IrqBench.Workloads.Hackbench;

namespace IrqBench.Workloads.Tests.Hackbench;

public class HackbenchTests
{
    private static readonly HackbenchWorkload W = new();

    [Theory]
    [InlineData("socket", "process")]
    [InlineData("pipe", "thread")]
    public void One_group_and_one_loop_send_fds_squared_messages_and_every_receiver_reads_all_of_its(string transport, string tasks)
    {
        const int fds = 20;
        var r = HackbenchWorkload.Run(TestMachine.Spec(W, 4, 1, ("groups", "1"), ("loops", "1"), ("fds", $"{fds}"),
            ("transport", transport), ("tasks", tasks)), out var parent);

        Assert.Equal(fds * fds, r.WorkUnits);
        var senders = parent.Children.OfType<Sender>().ToList();
        var receivers = parent.Children.OfType<Receiver>().ToList();
        Assert.Equal(fds, senders.Count);
        Assert.Equal(fds, receivers.Count);
        Assert.Equal(fds * fds, senders.Sum(s => s.Sent));
        Assert.All(receivers, x => Assert.Equal(fds, x.Received));
        Assert.All(receivers, x => Assert.Equal(0, x.Input.Messages));
        Assert.True(r.SimCycles > 0);
    }

    [Fact]
    public void Small_socket_buffers_make_writers_block_and_the_readers_wake_them()
    {
        var r = HackbenchWorkload.Run(TestMachine.Spec(W, 2, 1, ("groups", "1"), ("fds", "4"), ("loops", "50"),
            ("socket_sndbuf", "4096")), out var parent);

        Assert.True(r.Metrics.Get("hackbench_writer_blocks").Value > 0);
        Assert.All(parent.Children.OfType<Receiver>(), x => Assert.Equal(4 * 50, x.Received));
    }

    [Fact]
    public void The_timed_interval_starts_at_the_start_byte_and_ends_at_the_last_reap()
    {
        HackbenchWorkload.Run(TestMachine.Spec(W, 4, 1, ("groups", "2"), ("fds", "5"), ("loops", "10")), out var p);

        Assert.True(p.StartTime > 0, "forking and the ready handshake come before the clock starts");
        Assert.True(p.EndTime > p.StartTime);
        Assert.All(p.Children, c => Assert.Equal(Workloads.Kernel.TaskState.Exited, c.State));
    }

    [Fact]
    public void Guest_hypervisor_and_idle_cycles_cover_exactly_the_timed_interval_on_every_vcpu()
    {
        // Most vCPUs halt during the fork phase, long before the clock starts: none of that may count.
        var r = W.Run(TestMachine.Spec(W, 8, 3, ("groups", "2"), ("fds", "10"), ("loops", "20")));
        var m = r.Metrics;
        Assert.Equal(r.SimCycles * 8, m.GuestCycles.Value + m.HypCycles.Value + m.IdleCycles.Value);
    }

    [Fact]
    public void The_whole_runs_exits_are_kept_beside_the_timed_intervals()
    {
        var r = W.Run(TestMachine.Spec(W, 4, 1, ("groups", "2"), ("fds", "5"), ("loops", "10")));
        var m = r.Metrics;
        Assert.True(m.Get("run.exits_total").Value >= m.ExitsTotal);
        Assert.True(m.Get("run.exits_wfi").Value > m.ExitsWfi.Value, "vCPUs idle in WFI while the parent forks, before the clock starts");
    }

    [Fact]
    public void The_same_seed_gives_identical_results()
    {
        var a = W.Run(TestMachine.Spec(W, 8, 7, ("groups", "2"), ("fds", "10"), ("loops", "20")));
        var b = W.Run(TestMachine.Spec(W, 8, 7, ("groups", "2"), ("fds", "10"), ("loops", "20")));

        Assert.Equal(a.SimCycles, b.SimCycles);
        Assert.Equal(a.Metrics.All.Select(c => (c.Name, c.Value)), b.Metrics.All.Select(c => (c.Name, c.Value)));
        Assert.Equal(a.Metrics.IrqLatency.Samples.ToArray(), b.Metrics.IrqLatency.Samples.ToArray());
    }

    [Fact]
    public void Remote_wakeups_of_idle_vcpus_are_wake_list_IPIs_and_preemptions_reschedule_IPIs_that_the_controller_delivers()
    {
        var r = W.Run(TestMachine.Spec(W, 8, 1, ("groups", "1"), ("fds", "10"), ("loops", "20")));

        long wakelist = r.Metrics.Get("guest_ttwu_wakelist_ipis").Value;
        long ipis = wakelist + r.Metrics.Get("guest_resched_ipis_sent").Value;
        Assert.True(wakelist > 0);
        Assert.Equal(wakelist, r.Metrics.Get("guest_call_function_ipis_sent").Value); // no other call-function IPI
        Assert.Equal(ipis, r.Metrics.IpisSent.Value); // hackbench sends no other IPI
        Assert.True(r.Metrics.IrqsDelivered.Value >= ipis);
        Assert.True(r.Metrics.ExitsWfi.Value > 0, "vCPUs go idle between messages and halt in WFI");
    }
}
