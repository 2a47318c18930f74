using IrqBench.Machine.Costs;
using IrqBench.Machine.Traps;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Machine.Tests;

/// <summary>What a trap costs is composed from the profile's primitives by where the handler runs (DESIGN §3).</summary>
public class TrapCostTests
{
    private const uint NullFid = 0x4b00_0000;

    private static (long Cycles, HvcResult Result, ScriptedController C, VirtualMachine Vm) OneHvc(CostProfile p, uint fid = NullFid, Action<VirtualMachine>? setup = null)
    {
        var c = new ScriptedController();
        var vm = new VirtualMachine(p, 1, 1, c);
        setup?.Invoke(vm);
        long cycles = 0; HvcResult r = default;
        var prog = new ScriptedProgram { OnStart = cpu => { long t = cpu.Now; r = cpu.Hvc(new HvcArgs(fid)); cycles = cpu.Now - t; cpu.Stop(); } };
        vm.Boot(_ => prog);
        vm.Run();
        return (cycles, r, c, vm);
    }

    private static long M(CostProfile p, string name) => p.Get(MachinePrimitives.Section, name);

    [Fact]
    public void A_null_hypercall_on_vhe_costs_exactly_the_exception_exit_entry_and_dispatch()
    {
        var p = TestProfiles.Load("altra-vhe");
        var (cycles, r, c, vm) = OneHvc(p);
        Assert.Equal(M(p, "exception_roundtrip") + M(p, "vcpu_exit_save") + M(p, "vcpu_entry_restore") + M(p, "smccc_dispatch"), cycles);
        Assert.Equal(Smccc.NotSupported, r.X0);
        Assert.Equal(1, vm.Metrics.ExitsHvc.Value);
        Assert.Equal((1, 1), (c.Exits, c.Entries)); // the exit reached the run loop: fold and flush ran
    }

    [Fact]
    public void A_null_hypercall_on_nvhe_also_pays_the_world_switch_both_ways()
    {
        var p = TestProfiles.Load("seattle-nvhe");
        var (cycles, _, _, _) = OneHvc(p);
        Assert.Equal(M(p, "exception_roundtrip") + M(p, "vcpu_exit_save") + M(p, "vcpu_entry_restore") + 2 * M(p, "world_switch")
                     + M(p, "smccc_dispatch"), cycles);
    }

    [Fact]
    public void Under_pkvm_a_hypercall_owned_by_EL2_never_reaches_the_host()
    {
        var p = TestProfiles.Load("pkvm");
        var handler = new FixedHvc(new HvcResult(0, 42), work: 25);
        var (cycles, r, c, _) = OneHvc(p, 0xC500_0200, vm => vm.Router.MapHvc("test", 0xC500_0200, 0xC500_0200, handler, Placement.El2));
        Assert.Equal(42UL, r.X1);
        Assert.Equal(M(p, "exception_roundtrip") + M(p, "hyp_fast_path") + M(p, "smccc_dispatch") + 25, cycles);
        Assert.Equal((0, 0), (c.Exits, c.Entries));
    }

    [Fact]
    public void Under_pkvm_a_hypercall_the_host_owns_pays_the_forwarding_and_both_world_switches()
    {
        var p = TestProfiles.Load("pkvm");
        var (cycles, _, c, _) = OneHvc(p);
        Assert.Equal(M(p, "exception_roundtrip") + M(p, "vcpu_exit_save") + M(p, "vcpu_entry_restore") + 2 * M(p, "world_switch")
                     + M(p, "pkvm_forward") + M(p, "smccc_dispatch"), cycles);
        Assert.Equal((1, 1), (c.Exits, c.Entries));
    }

    [Fact]
    public void Guest_RAM_does_not_trap_and_an_unclaimed_address_exits_to_the_VMM_and_reads_as_zero()
    {
        var p = TestProfiles.Load("altra-vhe");
        var vm = new VirtualMachine(p, 1, 1, new ScriptedController());
        ulong ram = 0, hole = 1; long ramCost = -1, holeCost = 0;
        var prog = new ScriptedProgram
        {
            OnStart = cpu =>
            {
                long t = cpu.Now;
                cpu.MmioWrite(VirtualMachine.RamBase + 0x100, 4, 0xdeadbeef);
                ram = cpu.MmioRead(VirtualMachine.RamBase + 0x100, 4);
                ramCost = cpu.Now - t;
                t = cpu.Now;
                hole = cpu.MmioRead(0x0900_0000, 4);
                holeCost = cpu.Now - t;
                cpu.Stop();
            },
        };
        vm.Boot(_ => prog);
        vm.Run();
        Assert.Equal(0xdeadbeefUL, ram);
        Assert.Equal(0, ramCost);
        Assert.Equal(0UL, hole);
        Assert.Equal(M(p, "exception_roundtrip") + M(p, "vcpu_exit_save") + M(p, "user_exit") + M(p, "mmio_abort_decode")
                     + M(p, "vmm_mmio_handler") + M(p, "vcpu_entry_restore"), holeCost);
        Assert.Equal((1, 1, 1), (vm.Metrics.ExitsMmio.Value, vm.Metrics.ExitsMmioUser.Value, vm.Metrics.MmioUnclaimed.Value));
    }

    [Fact]
    public void A_system_register_served_by_hardware_does_not_exit_and_a_trapped_one_does()
    {
        var p = TestProfiles.Load("altra-vhe");
        var vm = new VirtualMachine(p, 1, 1, new ScriptedController());
        var hw = new SysReg(3, 0, 12, 12, 0);
        var trapped = new SysReg(3, 0, 12, 11, 5);
        vm.Router.MapSysreg(hw, "hw", new ConstSysreg(7), trapped: false);
        vm.Router.MapSysreg(trapped, "trapped", new ConstSysreg(9), trapped: true);
        ulong a = 0, b = 0;
        var prog = new ScriptedProgram { OnStart = cpu => { a = cpu.SysregRead(hw); b = cpu.SysregRead(trapped); cpu.Stop(); } };
        vm.Boot(_ => prog);
        vm.Run();
        Assert.Equal((7UL, 9UL), (a, b));
        Assert.Equal(1, vm.Metrics.ExitsSysreg.Value);
    }

    private sealed class FixedHvc(HvcResult result, long work) : IHvcHandler
    {
        public HvcResult Call(Vcpu cpu, in HvcArgs args) { cpu.ChargeHyp(work); return result; }
    }

    private sealed class ConstSysreg(ulong value) : ISysregHandler
    {
        public ulong Read(Vcpu cpu, SysReg reg) => value;
        public void Write(Vcpu cpu, SysReg reg, ulong v) { }
    }
}
