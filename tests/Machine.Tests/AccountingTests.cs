using IrqBench.Machine.Costs;
using IrqBench.Machine.Metrics;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Machine.Tests;

/// <summary>DESIGN §4 accounting: every cycle of a vCPU's timeline is guest, hypervisor or idle, and a measured
/// window holds exactly its share.</summary>
public class AccountingTests
{
    private static readonly CostProfile P = TestProfiles.Load("altra-vhe");

    [Fact]
    public void Guest_hypervisor_and_idle_cycles_in_a_window_add_up_to_its_length_times_the_vcpus()
    {
        // vCPU1 halts long before the window and is woken inside it; vCPU0's burst that opens the window runs ahead of
        // the event clock; vCPU2 computes across both edges.
        const long Open = 50_000, Close = 400_000;
        var c = new ScriptedController();
        var vm = new VirtualMachine(P, 3, 1, c);
        int step0 = 0;
        var p0 = new ScriptedProgram { OnStart = cpu => cpu.RunWork(Open - 10_000) };
        p0.OnResume = cpu =>
        {
            switch (step0++)
            {
                case 0:
                    cpu.Compute(10_000);      // the burst reaches Open ahead of the event clock
                    vm.OpenWindow(cpu.Now);
                    cpu.Compute(5_000);
                    c.Inject(cpu, vm.Vcpus[1]);
                    cpu.RunWork(Close - cpu.Now - 2_000);
                    break;
                default:
                    cpu.Compute(2_000);
                    vm.CloseWindow(cpu.Now);
                    cpu.Compute(7_000);       // booked beyond the window's end before the run stops
                    vm.Stop();
                    cpu.Stop();
                    break;
            }
        };
        var p1 = new ScriptedProgram { OnStart = cpu => cpu.WaitForInterrupt(), OnInterrupt = cpu => { c.Acknowledge(cpu); cpu.Compute(3_000); } };
        p1.OnResume = cpu => cpu.RunWork(1_000_000);
        var p2 = new ScriptedProgram { OnStart = cpu => cpu.RunWork(10_000_000) };
        vm.Boot(v => v.Id.Value switch { 0 => p0, 1 => p1, _ => p2 });
        vm.Run();

        long sum = vm.Window.Cycles(TimeClass.Guest) + vm.Window.Cycles(TimeClass.Hyp) + vm.Window.Cycles(TimeClass.Idle);
        Assert.Equal(Open, vm.Window.Start);
        Assert.Equal(Close, vm.Window.End);
        Assert.Equal((Close - Open) * 3, sum);
        Assert.True(vm.Window.Cycles(TimeClass.Idle) > 0, "vCPU1's halt inside the window is idle");
        Assert.True(vm.Window.Cycles(TimeClass.Idle) < Close - Open, "but its halt before the window is not");
    }

    [Fact]
    public void Over_a_whole_run_each_vcpu_is_accounted_up_to_the_same_end()
    {
        var c = new ScriptedController();
        var vm = new VirtualMachine(P, 2, 1, c);
        var p0 = new ScriptedProgram { OnStart = cpu => cpu.RunWork(100_000), OnResume = cpu => { vm.Stop(); cpu.Stop(); } };
        var p1 = new ScriptedProgram { OnStart = cpu => cpu.WaitForInterrupt() };
        vm.Boot(v => v.Id.Value == 0 ? p0 : p1);
        vm.Run();

        var m = vm.Metrics;
        Assert.Equal(2 * 100_000, m.GuestCycles.Value + m.HypCycles.Value + m.IdleCycles.Value);
        Assert.Equal(100_000, vm.Vcpus[1].CyclesOf(TimeClass.Hyp) + vm.Vcpus[1].CyclesOf(TimeClass.Idle));
    }

    [Fact]
    public void An_exits_handling_time_is_its_hypervisor_cycles_from_trap_to_entry()
    {
        var c = new ScriptedController();
        var vm = new VirtualMachine(P, 1, 1, c);
        long hvc = 0;
        var p = new ScriptedProgram
        {
            OnStart = cpu =>
            {
                long before = cpu.CyclesOf(TimeClass.Hyp);
                cpu.Hvc(new Traps.HvcArgs(0x4b00_0000));
                cpu.Hvc(new Traps.HvcArgs(0x4b00_0000));
                hvc = cpu.CyclesOf(TimeClass.Hyp) - before;
                cpu.Stop();
            },
        };
        vm.Boot(_ => p);
        vm.Run();

        var e = vm.Metrics.Exits;
        Assert.Equal(2, vm.Metrics.ExitsHvc.Value);
        Assert.Equal(hvc, e.TotalCycles(ExitReason.Hvc));
        Assert.Equal(hvc / 2, e.MinCycles(ExitReason.Hvc));
        Assert.Equal(hvc / 2, e.MaxCycles(ExitReason.Hvc));
        Assert.Equal(0, e.TotalCycles(ExitReason.Mmio));
    }

    [Fact]
    public void Each_vcpus_exit_tally_adds_up_to_the_vms_exit_counts_and_handling_time()
    {
        var c = new ScriptedController();
        var vm = new VirtualMachine(P, 3, 1, c);
        var progs = Enumerable.Range(0, 3).Select(i => new ScriptedProgram
        {
            OnStart = cpu => { for (int k = 0; k <= i; k++) cpu.Hvc(new Traps.HvcArgs(0x4b00_0000)); cpu.WaitForInterrupt(); },
        }).ToArray();
        vm.Boot(v => progs[v.Id.Value]);
        vm.Run();

        foreach (var r in ExitStats.Reasons)
        {
            Assert.Equal(vm.Metrics.Exits.TotalCycles(r), vm.Metrics.ExitsByVcpu.Sum(t => t.TotalCycles(r)));
        }
        Assert.Equal([1L, 2L, 3L], vm.Metrics.ExitsByVcpu.Select(t => t.Count(ExitReason.Hvc)));
        Assert.Equal(vm.Metrics.ExitsHvc.Value, vm.Metrics.ExitsByVcpu.Sum(t => t.Count(ExitReason.Hvc)));
    }
}
