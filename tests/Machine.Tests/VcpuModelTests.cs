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

        long detour = ExitEntry + M("vtimer_handler") + M("guest_irq_exception") + Handler;
        Assert.Equal([("start", 0L), ("irq", TimerAt + ExitEntry + M("vtimer_handler") + M("guest_irq_exception")), ("resume", Work + detour)], prog.Log);
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
        Assert.Equal(2 * held, done[1]); // waited for vCPU0's release, then held it itself
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
        Assert.Equal(1, vm.Metrics.HaltPollHits.Value); // woken inside KVM's halt-polling window
        var irq = Assert.Single(sleeper.Log, e => e.What == "irq");
        Assert.Equal(20_000 + M("halt_poll_wake") + M("vcpu_entry_restore") + M("guest_irq_exception"), irq.At);
        Assert.Equal(1, vm.Metrics.ExitsWfi.Value);
    }

    [Fact]
    public void A_vcpu_woken_after_the_halt_poll_window_pays_the_host_wakeup_and_vcpu_load()
    {
        var c = new ScriptedController();
        var vm = new VirtualMachine(P, 2, 1, c);
        long late = M("halt_poll_window") * 2;
        var sleeper = new ScriptedProgram { OnStart = cpu => cpu.WaitForInterrupt(), OnInterrupt = cpu => c.Acknowledge(cpu) };
        var waker = new ScriptedProgram { OnStart = cpu => cpu.RunWork(late), OnResume = cpu => { c.Inject(cpu, vm.Vcpus[1]); cpu.Stop(); } };
        vm.Boot(v => v.Id.Value == 0 ? waker : sleeper);
        vm.Run();

        Assert.Equal((1L, 1L, 0L), (vm.Metrics.Wakeups.Value, vm.Metrics.HaltSleeps.Value, vm.Metrics.HaltPollHits.Value));
        var irq = Assert.Single(sleeper.Log, e => e.What == "irq");
        Assert.Equal(late + M("host_wakeup") + M("vcpu_load") + M("vcpu_entry_restore") + M("guest_irq_exception"), irq.At);
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
        Assert.Equal(M("kick_ipi") + ExitEntry + M("host_irq") + M("guest_irq_exception"), irq.At);
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
        Assert.Equal(SetAt + M("guest_spin_observe"), Assert.Single(spinner.Log, e => e.What == "resume").At);
    }

    private sealed class SlowHvc(long work) : Traps.IHvcHandler
    {
        public Traps.HvcResult Call(Vcpu cpu, in Traps.HvcArgs args) { cpu.ChargeHyp(work); return new(0); }
    }
}
