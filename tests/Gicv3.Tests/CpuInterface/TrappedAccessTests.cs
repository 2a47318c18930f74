using IrqBench.Gicv3.CpuInterface;
using IrqBench.Machine;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Traps;
using IrqBench.Machine.Vcpus;
using R = IrqBench.Gicv3.Registers.Gicr;

namespace IrqBench.Gicv3.Tests.CpuInterface;

/// <summary>
/// ICC accesses trapped by ICH_HCR_EL2.TALL0, TALL1 and TC and emulated by KVM's EL2 fast path
/// (__vgic_v3_perform_cpuif_access): each is one system-register exit with its handling time, costs the exception,
/// the fast path, the decode and the emulation (no run-loop exit, no fold or flush), and gives the guest exactly
/// what the CPU interface would have.
/// </summary>
public class TrappedAccessTests
{
    /// <summary>An access of the script: a read (recorded) or a write.</summary>
    private readonly record struct Access(SysReg Reg, ulong? Write = null);

    /// <summary>Touches every ICC register the trap groups cover, in both directions where they exist, around two
    /// pending SGIs in the list registers: acknowledge, priority drop and deactivation with EOImode 0 and 1, the VMCR
    /// fields and the active priorities.</summary>
    private static readonly Access[] Script =
    [
        new(IccSysRegs.Ctlr), new(IccSysRegs.Pmr), new(IccSysRegs.Bpr1), new(IccSysRegs.Bpr0), new(IccSysRegs.Rpr),
        new(IccSysRegs.Igrpen0), new(IccSysRegs.Igrpen1), new(IccSysRegs.Hppir1), new(IccSysRegs.Hppir0),
        new(IccSysRegs.Iar0), new(IccSysRegs.Iar1), new(IccSysRegs.Rpr), new(IccSysRegs.Ap1r(0)), new(IccSysRegs.Hppir1),
        new(IccSysRegs.Iar1), new(IccSysRegs.Eoir1, 5), new(IccSysRegs.Rpr),
        new(IccSysRegs.Ctlr, IccCtlr.EoiMode), new(IccSysRegs.Ctlr), new(IccSysRegs.Iar1), new(IccSysRegs.Eoir1, 3),
        new(IccSysRegs.Dir, 3), new(IccSysRegs.Ctlr, 0),
        new(IccSysRegs.Eoir0, 1023), new(IccSysRegs.Bpr1, 4), new(IccSysRegs.Bpr1), new(IccSysRegs.Bpr0, 3), new(IccSysRegs.Bpr0),
        new(IccSysRegs.Ap0r(0), 0x10), new(IccSysRegs.Ap0r(0)), new(IccSysRegs.Rpr), new(IccSysRegs.Ap0r(0), 0),
        new(IccSysRegs.Ap1r(0), 0x4), new(IccSysRegs.Ap1r(0)), new(IccSysRegs.Ap1r(0), 0), new(IccSysRegs.Ap1r(1)),
        new(IccSysRegs.Ap0r(1), 0), new(IccSysRegs.Ap1r(2), 0), new(IccSysRegs.Ap0r(3)), new(IccSysRegs.Ap1r(3)),
        new(IccSysRegs.Ap0r(2)),
        new(IccSysRegs.Igrpen0, 1), new(IccSysRegs.Igrpen0), new(IccSysRegs.Igrpen0, 0),
        new(IccSysRegs.Pmr, 0x80), new(IccSysRegs.Pmr), new(IccSysRegs.Igrpen1, 0), new(IccSysRegs.Igrpen1),
        new(IccSysRegs.Igrpen1, 1), new(IccSysRegs.Pmr, 0xF0), new(IccSysRegs.Sre),
    ];

    private static (VirtualMachine Vm, Gicv3Controller Gic, Vcpu Cpu) Pending(Gicv3Config config, string profile = "altra-vhe")
    {
        var (vm, gic) = TestVm.Create(1, config, profile);
        TestVm.BasicSetup(vm, gic);
        var cpu = vm.Vcpus[0];
        cpu.MmioWrite(TestVm.Sgi(gic, 0, R.IPriorityR + 3), 1, 0xA0);
        cpu.MmioWrite(TestVm.Sgi(gic, 0, R.IPriorityR + 5), 1, 0x80);
        cpu.MmioWrite(TestVm.Sgi(gic, 0, R.ISPendR0), 4, 1u << 3 | 1u << 5); // the entry writes both into list registers
        return (vm, gic, cpu);
    }

    private static (ulong[] Reads, ulong[] State) RunScript(Gicv3Config config, out long sysregExits, out long trappedAccesses)
    {
        var (vm, gic, cpu) = Pending(config);
        long exits0 = vm.Metrics.ExitsSysreg.Value;
        var reads = new List<ulong>();
        trappedAccesses = 0;
        foreach (var a in Script)
        {
            if (VirtualCpuInterface.Traps(IccSysRegs.Describe(a.Reg), config.CpuifTrapBits, config.HasTdir)) trappedAccesses++;
            if (a.Write is { } v) cpu.SysregWrite(a.Reg, v);
            else reads.Add(cpu.SysregRead(a.Reg));
        }
        sysregExits = vm.Metrics.ExitsSysreg.Value - exits0;
        var hw = gic.Vgic.CpuOf(cpu).Cpuif;
        var state = new List<ulong> { hw.Vmcr, hw.Hcr & ~(IchHcr.Tc | IchHcr.TAll0 | IchHcr.TAll1 | IchHcr.Tdir) };
        for (int i = 0; i < hw.ListRegisters; i++) state.Add(hw.GetLr(i));
        for (int n = 0; n < 4; n++) { state.Add(hw.GetAp(0, n)); state.Add(hw.GetAp(1, n)); }
        return (reads.ToArray(), state.ToArray());
    }

    public static TheoryData<string> TrapConfigs() => ["TALL0", "TALL1", "TC", "SEIS"];

    private static Gicv3Config Config(string traps) => traps switch
    {
        "TALL0" => new Gicv3Config { TrapGroup0 = true },
        "TALL1" => new Gicv3Config { TrapGroup1 = true },
        "TC" => new Gicv3Config { TrapCommon = true },
        _ => new Gicv3Config { BrokenSeis = true, HasTdir = false },
    };

    [Theory]
    [MemberData(nameof(TrapConfigs))]
    public void Trapped_ICC_accesses_are_one_sysreg_exit_each_and_give_the_guest_what_the_CPU_interface_gives(string traps)
    {
        var (hwReads, hwState) = RunScript(new Gicv3Config(), out long hwExits, out long hwTrapped);
        var config = Config(traps);
        var (reads, state) = RunScript(config, out long exits, out long trapped);

        Assert.Equal((0L, 0L), (hwExits, hwTrapped));
        Assert.True(trapped > 0);
        Assert.Equal(trapped, exits);
        Assert.Equal(hwReads, reads);
        Assert.Equal(hwState, state);
    }

    [Fact]
    public void With_a_broken_SEIS_KVM_traps_both_groups_and_the_common_group_or_only_DIR_of_it_where_TDIR_exists()
    {
        const uint groups = IchHcr.TAll0 | IchHcr.TAll1;
        Assert.Equal(groups | IchHcr.Tc, new Gicv3Config { BrokenSeis = true, HasTdir = false }.CpuifTrapBits);
        Assert.Equal(groups | IchHcr.Tdir, new Gicv3Config { BrokenSeis = true }.CpuifTrapBits);
        Assert.Equal(0u, new Gicv3Config().CpuifTrapBits);
        Assert.Equal(IchHcr.Tc, new Gicv3Config { HasTdir = false }.CpuifTrapBits); // DIR always traps without TDIR
        Assert.Equal(groups | IchHcr.Tc, Gicv3Kit.TrapAllConfig.CpuifTrapBits);
        // Every ICC register but ICC_SRE_EL1 traps on gicv3-trapall.
        var trapall = Gicv3Kit.TrapAllConfig;
        Assert.Equal(["ICC_SRE_EL1"], IccSysRegs.Registers
            .Where(r => !VirtualCpuInterface.Traps(r, trapall.CpuifTrapBits, trapall.HasTdir)).Select(r => r.Name));
    }

    [Fact]
    public void The_script_acknowledges_both_SGIs_by_priority_and_completes_them()
    {
        var (reads, state) = RunScript(new Gicv3Config(), out _, out _);
        Assert.Contains(5UL, reads); // priority 0x80 first
        Assert.Contains(3UL, reads);
        Assert.Equal(0UL, state[2] & IchLr.StateMask); // both list registers inactive again
        Assert.Equal(0UL, state[3] & IchLr.StateMask);
    }

    private static long M(CostProfile p, string s, string n) => p.Get(s, n);

    [Theory]
    [InlineData("altra-vhe")]
    [InlineData("seattle-nvhe")]
    [InlineData("pkvm")]
    public void A_trapped_acknowledge_costs_the_exception_the_fast_path_the_decode_and_the_emulation_of_each_list_register_read(string profile)
    {
        var (vm, gic, cpu) = Pending(new Gicv3Config { BrokenSeis = true, HasTdir = false }, profile);
        var c = gic.Vgic.CpuOf(cpu);
        Assert.Equal(2, c.UsedLrs);
        long lrReads = vm.Metrics.LrReads.Value, sysreg = vm.Metrics.ExitsSysreg.Value;
        long handled = vm.Metrics.Exits.TotalCycles(ExitReason.Sysreg), hyp = cpu.CyclesOf(TimeClass.Hyp);

        long t0 = cpu.Now;
        Assert.Equal(5UL, cpu.SysregRead(IccSysRegs.Iar1));
        long cycles = cpu.Now - t0;

        var p = vm.Profile;
        string mc = MachinePrimitives.Section, g = Gicv3Costs.Section;
        long expected = M(p, mc, "exception_roundtrip") + M(p, mc, "hyp_fast_path") + M(p, mc, "sysreg_trap_decode")
                        + M(p, g, "icc_emulate") + 2 * M(p, g, "icc_emulate_lr");
        Assert.Equal(expected, cycles);
        Assert.Equal(sysreg + 1, vm.Metrics.ExitsSysreg.Value);
        Assert.Equal(cycles, vm.Metrics.Exits.TotalCycles(ExitReason.Sysreg) - handled);
        Assert.Equal(lrReads, vm.Metrics.LrReads.Value); // no fold: the list registers stay live
        Assert.True(c.Loaded);
        Assert.Equal(cycles, cpu.CyclesOf(TimeClass.Hyp) - hyp); // all of it hypervisor time
    }

    [Fact]
    public void Untrapped_the_same_acknowledge_is_one_ICV_access_of_guest_time_and_no_exit()
    {
        var (vm, gic, cpu) = Pending(new Gicv3Config());
        long sysreg = vm.Metrics.ExitsSysreg.Value, hyp = cpu.CyclesOf(TimeClass.Hyp);
        long t0 = cpu.Now;
        Assert.Equal(5UL, cpu.SysregRead(IccSysRegs.Iar1));
        Assert.Equal(vm.Profile.Get(Gicv3Costs.Section, "icv_access"), cpu.Now - t0);
        Assert.Equal(sysreg, vm.Metrics.ExitsSysreg.Value);
        Assert.Equal(hyp, cpu.CyclesOf(TimeClass.Hyp));
        _ = gic;
    }

    [Fact]
    public void On_a_CPU_without_TDIR_a_DIR_the_fast_path_cannot_finish_goes_on_to_the_host_run_loop()
    {
        // EOImode 1 and an INTID active in no list register: __vgic_v3_perform_cpuif_access gives up and the exit
        // reaches kvm_handle_sys_reg → access_gic_dir → vgic_v3_deactivate (nothing there to deactivate).
        var (vm, gic) = TestVm.Create(1, new Gicv3Config { HasTdir = false });
        TestVm.BasicSetup(vm, gic);
        var cpu = vm.Vcpus[0];
        cpu.SysregWrite(IccSysRegs.Ctlr, IccCtlr.EoiMode);
        long sysreg = vm.Metrics.ExitsSysreg.Value;
        long t0 = cpu.Now;
        cpu.SysregWrite(IccSysRegs.Dir, 40);
        var p = vm.Profile;
        string mc = MachinePrimitives.Section;
        long expected = M(p, mc, "exception_roundtrip") + M(p, mc, "hyp_fast_path") + M(p, mc, "sysreg_trap_decode")
                        + M(p, Gicv3Costs.Section, "icc_emulate")
                        + M(p, mc, "vcpu_exit_save") + M(p, mc, "sysreg_trap_decode") + M(p, mc, "lock_uncontended")
                        + M(p, mc, "vcpu_entry_restore");
        // vgic_v3_deactivate takes the irq_lock and finds the SPI on no ap_list; with an empty ap_list v6.12's fold
        // and flush cost nothing.
        Assert.Equal(expected, cpu.Now - t0);
        Assert.Equal(sysreg + 1, vm.Metrics.ExitsSysreg.Value);
        Assert.Equal(1, gic.Vgic.DirTraps.Value);
    }
}
