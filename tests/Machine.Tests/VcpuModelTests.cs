using IrqBench.Machine.Costs;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Machine.Tests;

/// <summary>The vCPU semantics of DESIGN §4: preemptible work, kicks, halting and wake-up, stop-the-world.</summary>
public class VcpuModelTests
{
    private static readonly CostProfile P = TestProfiles.Load("altra-vhe");
    private static long M(string name) => P.Get(MachinePrimitives.Section, name);
    private static long ExitEntry => M("exception_roundtrip") + M("vcpu_exit_save") + M("vcpu_entry_restore");

    [Fact]
    public void A_work_segment_preempted_by_an_interrupt_resumes_with_exactly_its_remaining_work()
    {
        const long Work = 100_000, TimerAt = 40_000, Handler = 500;
        var c = new ScriptedController();
        var vm = new VirtualMachine(P, 1, 1, c);
        var prog = new ScriptedProgram
        {
            OnStart = cpu => { cpu.Timer.SetDeadline(TimerAt); cpu.RunWork(Work); },
            OnInterrupt = cpu => { Assert.True(c.Acknowledge(cpu)); cpu.Timer.Disable(); cpu.Compute(Handler); },
        };
        vm.Boot(_ => prog);
        vm.Run();

        // The timer's PPI pays the host's IRQ machinery that every physical-IRQ exit shares, and its own remainder.
        long hostSide = ExitEntry + M("host_irq") + M("vtimer_handler");
        long detour = hostSide + M("guest_irq_exception") + Handler;
        Assert.Equal([("start", 0L), ("irq", TimerAt + hostSide + M("guest_irq_exception")), ("resume", Work + detour)], prog.Log);
        Assert.Equal(Work + M("guest_irq_exception") + Handler, vm.Metrics.GuestCycles.Value);
        Assert.Equal(1, vm.Metrics.ExitsTimer.Value);
    }

    [Fact]
    public void A_contended_lock_makes_the_second_vcpu_wait_until_the_release_and_counts_it()
    {
        const long Hold = 1000;
        var vm = new VirtualMachine(P, 2, 1, new ScriptedController());
        var l = vm.Locks.Get("dist_config");
        var done = new long[2];
        vm.Boot(v => new ScriptedProgram { OnStart = cpu => { cpu.TakeLock(l, Hold); done[cpu.Id.Value] = cpu.Now; cpu.Stop(); } });
        vm.Run();

        long held = Hold + M("lock_uncontended");
        Assert.Equal(held, done[0]);
        // waited for vCPU0's release, then held it itself — with the lock's line coming over from vCPU0
        Assert.Equal(2 * held + M("line_transfer"), done[1]);
        Assert.Equal((2L, 1L, held), (vm.Metrics.LockAcquisitions.Value, vm.Metrics.LockContended.Value, vm.Metrics.LockWaitCycles.Value));
    }

    [Fact]
    public void A_lock_taken_later_on_the_timeline_does_not_delay_an_earlier_taker_processed_after_it()
    {
        // vCPU0's burst runs first in the queue but takes the lock at its local time 5000; vCPU1 takes it at 0 for
        // much less than 5000 cycles: no overlap on the timeline, so no wait.
        var vm = new VirtualMachine(P, 2, 1, new ScriptedController());
        var l = vm.Locks.Get("ap_list", 0);
        long done1 = 0;
        vm.Boot(v => new ScriptedProgram
        {
            OnStart = cpu =>
            {
                if (cpu.Id.Value == 0) cpu.Compute(5000);
                cpu.TakeLock(l, 100);
                if (cpu.Id.Value == 1) done1 = cpu.Now;
                cpu.Stop();
            },
        });
        vm.Run();
        Assert.Equal(100 + M("lock_uncontended"), done1);
        Assert.Equal(0, vm.Metrics.LockContended.Value);
    }

    [Fact]
    public void A_halted_vcpu_wakes_only_when_an_interrupt_becomes_deliverable()
    {
        var c = new ScriptedController();
        var vm = new VirtualMachine(P, 2, 1, c);
        var sleeper = new ScriptedProgram
        {
            OnStart = cpu => cpu.WaitForInterrupt(),
            OnInterrupt = cpu => c.Acknowledge(cpu),
        };
        int step = 0;
        var waker = new ScriptedProgram { OnStart = cpu => cpu.RunWork(10_000) };
        waker.OnResume = cpu =>
        {
            switch (step++)
            {
                case 0: vm.Kick(cpu, vm.Vcpus[1]); cpu.RunWork(10_000); break; // a kick with nothing pending
                case 1: c.Inject(cpu, vm.Vcpus[1]); cpu.Stop(); break;
            }
        };
        vm.Boot(v => v.Id.Value == 0 ? waker : sleeper);
        vm.Run();

        Assert.Equal(1, vm.Metrics.SpuriousWakeups.Value);
        // A vCPU's first halt does not poll (KVM's window starts at 0): its thread sleeps, and the wake-up goes
        // through the host scheduler, then vcpu_load; the woken vCPU reads the request the kicker wrote.
        Assert.Equal((0L, 1L), (vm.Metrics.HaltPollHits.Value, vm.Metrics.Wakeups.Value));
        long kick = M("kick_send") + M("line_transfer");
        var irq = Assert.Single(sleeper.Log, e => e.What == "irq");
        Assert.Equal(20_000 + 2 * kick + M("host_wakeup") + M("vcpu_load") + M("line_transfer") + M("vcpu_entry_restore") + M("guest_irq_exception"), irq.At);
        Assert.Equal(1, vm.Metrics.ExitsWfi.Value);
    }

    [Fact]
    public void After_a_short_halt_the_halt_poll_window_grows_and_the_next_short_halt_is_a_poll_hit()
    {
        var c = new ScriptedController();
        var vm = new VirtualMachine(P, 2, 1, c);
        var sleeper = new ScriptedProgram { OnStart = cpu => cpu.WaitForInterrupt(), OnInterrupt = cpu => c.Acknowledge(cpu) };
        sleeper.OnResume = cpu => cpu.WaitForInterrupt();
        int sent = 0;
        var waker = new ScriptedProgram { OnStart = cpu => cpu.RunWork(10_000) };
        waker.OnResume = cpu =>
        {
            c.Inject(cpu, vm.Vcpus[1]);
            if (++sent < 2) cpu.RunWork(20_000); else cpu.Stop();
        };
        vm.Boot(v => v.Id.Value == 0 ? waker : sleeper);
        vm.Run();

        // The first halt slept (window 0) and lasted less than the maximum: the window grew to
        // halt_poll_ns_grow_start (10 µs = 30,000 cycles), which covers the second, shorter halt.
        Assert.Equal(1, vm.Metrics.Wakeups.Value);
        Assert.Equal(1, vm.Metrics.HaltPollHits.Value);
        Assert.Equal(3, vm.Metrics.ExitsWfi.Value); // and it halts a third time, for good
    }

    [Fact]
    public void The_halt_poll_window_follows_kvm_vcpu_halts_grow_and_shrink_rules()
    {
        const long Max = 1_500_000, Start = 30_000;
        var h = new HaltPolling(Max, Start);
        h.Update(5_000);                 // a short halt with no window: grow to the start value
        Assert.Equal(Start, h.Window);
        h.Update(20_000);                // within the window: unchanged
        Assert.Equal(Start, h.Window);
        h.Update(100_000);               // beyond it but below the maximum: double
        Assert.Equal(2 * Start, h.Window);
        h.Update(2 * Max);               // longer than the maximum: halve
        Assert.Equal(Start, h.Window);
        h.Update(2 * Max);               // halving below the start value turns polling off
        Assert.Equal(0, h.Window);
        for (int i = 0; i < 20; i++) h.Update(Max - 1);
        Assert.Equal(Max, h.Window);     // never beyond the maximum
    }

    [Fact]
    public void A_lock_last_taken_on_another_vcpu_costs_exactly_one_line_transfer_more_than_one_taken_locally()
    {
        var vm = new VirtualMachine(P, 2, 1, new ScriptedController());
        var l = vm.Locks.Get("irq", 27);
        var cost = new long[3];
        var p0 = new ScriptedProgram
        {
            OnStart = cpu =>
            {
                long t = cpu.Now; cpu.TakeLock(l, 100); cost[0] = cpu.Now - t;  // first taker: nobody held it before
                t = cpu.Now; cpu.TakeLock(l, 100); cost[1] = cpu.Now - t;       // again on the same CPU
                cpu.Stop();
            },
        };
        var p1 = new ScriptedProgram { OnStart = cpu => cpu.RunWork(50_000), OnResume = cpu => { long t = cpu.Now; cpu.TakeLock(l, 100); cost[2] = cpu.Now - t; cpu.Stop(); } };
        vm.Boot(v => v.Id.Value == 0 ? p0 : p1);
        vm.Run();

        Assert.Equal(cost[0], cost[1]);
        Assert.Equal(cost[1] + M("line_transfer"), cost[2]);
        Assert.Equal(1, vm.Metrics.Get("line_transfers.lock").Value);
    }

    [Fact]
    public void A_kick_makes_a_running_vcpu_exit_and_a_self_kick_does_nothing()
    {
        var c = new ScriptedController();
        var vm = new VirtualMachine(P, 2, 1, c);
        var target = new ScriptedProgram { OnStart = cpu => cpu.RunWork(1_000_000), OnInterrupt = cpu => c.Acknowledge(cpu) };
        var sender = new ScriptedProgram
        {
            OnStart = cpu => { vm.Kick(cpu, cpu); c.Inject(cpu, vm.Vcpus[1]); cpu.Stop(); },
        };
        vm.Boot(v => v.Id.Value == 0 ? sender : target);
        vm.Run();

        Assert.Equal((1L, 1L), (vm.Metrics.Kicks.Value, vm.Metrics.ExitsKick.Value));
        var irq = Assert.Single(target.Log, e => e.What == "irq");
        // The sender pays kvm_vcpu_kick and the transfer of the target's request line before the IPI leaves; the
        // target takes the IPI, runs the host's IRQ machinery and reads its requests (the line comes back).
        long sent = M("kick_send") + M("line_transfer");
        Assert.Equal(sent + M("kick_ipi") + ExitEntry + M("host_irq") + M("line_transfer") + M("guest_irq_exception"), irq.At);
        Assert.Equal(2, vm.Metrics.Get("line_transfers.kick").Value);
    }

    [Fact]
    public void A_kick_that_arrives_while_the_vcpu_is_in_the_hypervisor_costs_no_exit()
    {
        // vCPU1 is inside a long trapped access (an HVC whose handler runs 50k cycles) when the kick arrives: KVM
        // only sends the IPI to a vCPU in guest mode; the request is seen before re-entry.
        var c = new ScriptedController();
        var vm = new VirtualMachine(P, 2, 1, c);
        vm.Router.MapHvc("slow", 0xC600_0000, 0xC600_0000, new SlowHvc(50_000), Placement.HostKernel);
        var target = new ScriptedProgram
        {
            OnStart = cpu => { cpu.Hvc(new Traps.HvcArgs(0xC600_0000)); cpu.RunWork(1_000_000); },
            OnInterrupt = cpu => c.Acknowledge(cpu),
        };
        var sender = new ScriptedProgram { OnStart = cpu => cpu.RunWork(1000), OnResume = cpu => { c.Inject(cpu, vm.Vcpus[1]); cpu.Stop(); } };
        vm.Boot(v => v.Id.Value == 0 ? sender : target);
        vm.Run();

        Assert.Equal(0, vm.Metrics.ExitsKick.Value);
        Assert.Equal(1, vm.Metrics.KicksNoExit.Value);
        Assert.Single(target.Log, e => e.What == "irq");
    }

    [Fact]
    public void Stop_the_world_holds_every_other_running_vcpu_until_the_caller_resumes_them()
    {
        var vm = new VirtualMachine(P, 3, 1, new ScriptedController());
        const long Work = 200_000, Critical = 20_000;
        long resumedAt = 0;
        var caller = new ScriptedProgram
        {
            OnStart = cpu => { vm.HaltAllVcpus(cpu); cpu.ChargeHyp(Critical); resumedAt = cpu.Now; vm.ResumeAllVcpus(cpu); cpu.Stop(); },
        };
        var others = new[] { new ScriptedProgram { OnStart = cpu => cpu.RunWork(Work) }, new ScriptedProgram { OnStart = cpu => cpu.RunWork(Work) } };
        vm.Boot(v => v.Id.Value == 0 ? caller : others[v.Id.Value - 1]);
        vm.Run();

        Assert.Equal(1, vm.Metrics.HaltAll.Value);
        Assert.Equal(2, vm.Metrics.ExitsKick.Value);
        foreach (var o in others)
        {
            var done = Assert.Single(o.Log, e => e.What == "resume").At;
            // Out of the guest from the kick until the caller let go, then the exit's way back: the work finished that late.
            Assert.Equal(Work + (resumedAt - M("kick_ipi")) + M("vcpu_entry_restore"), done);
        }
    }

    [Fact]
    public void A_spinner_sees_a_flag_no_earlier_than_it_was_set_on_the_setters_timeline()
    {
        // vCPU0's burst is processed first and sets the flag at its local time 50,000; vCPU1 starts spinning at
        // time 0, after that burst in processing order. The spin must still last until 50,000 plus the transfer.
        const long SetAt = 50_000;
        var vm = new VirtualMachine(P, 2, 1, new ScriptedController());
        var flag = new GuestFlag();
        var setter = new ScriptedProgram { OnStart = cpu => { cpu.Compute(SetAt); flag.Set(cpu); cpu.Stop(); } };
        var spinner = new ScriptedProgram { OnStart = cpu => cpu.SpinUntil(flag) };
        vm.Boot(v => v.Id.Value == 0 ? setter : spinner);
        vm.Run();
        Assert.Equal(SetAt + M("line_transfer"), Assert.Single(spinner.Log, e => e.What == "resume").At);
        Assert.Equal(1, vm.Metrics.Get("line_transfers.flag").Value);
    }

    private sealed class SlowHvc(long work) : Traps.IHvcHandler
    {
        public Traps.HvcResult Call(Vcpu cpu, in Traps.HvcArgs args) { cpu.ChargeHyp(work); return new(0); }
    }
}
