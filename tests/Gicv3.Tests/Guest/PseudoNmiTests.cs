using IrqBench.Gicv3.CpuInterface;
using IrqBench.Gicv3.Guest;
using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Vcpus;
using static IrqBench.Gicv3.Tests.Guest.DriverRig;

namespace IrqBench.Gicv3.Tests.Guest;

/// <summary>
/// irq-gic-v3 with irqchip.gicv3_pseudo_nmi=1: local_irq_save/restore and the IRQ exception path mask interrupts
/// through ICC_PMR_EL1. On the plain GICv3 those are ICV accesses served by the CPU interface; on gicv3-trapall
/// (TC, so PMR and RPR trap; TALL1, so IAR1 and EOIR1 trap) every one is a trapped system-register exit.
/// </summary>
public class PseudoNmiTests
{
    private static Gicv3Config PseudoNmi => new() { GuestPseudoNmi = true };

    /// <summary>What one section of guest code did to the CPU interface: ICV accesses, trapped ICC accesses, sysreg
    /// exits, and the cycles it took.</summary>
    private readonly record struct Accesses(long Icv, long Trapped, long SysregExits, long Cycles);

    private static Func<Accesses> Probe(Rig r, Vcpu cpu)
    {
        var m = r.Vm.Metrics;
        long icv = m.Get("gicv3.icv_accesses").Value, trapped = m.Get("gicv3.icc_traps").Value, exits = m.ExitsSysreg.Value;
        long t0 = cpu.Now;
        return () => new Accesses(m.Get("gicv3.icv_accesses").Value - icv, m.Get("gicv3.icc_traps").Value - trapped,
            m.ExitsSysreg.Value - exits, cpu.Now - t0);
    }

    private static byte Pmr(Rig r, Vcpu cpu) => r.Gic.Vgic.CpuOf(cpu).Cpuif.Pmr;

    [Fact]
    public void With_pseudo_NMIs_local_irq_save_reads_PMR_and_masks_with_IRQOFF_and_restore_writes_the_saved_value_all_served_by_the_CPU_interface()
    {
        var r = new Rig(1, PseudoNmi);
        r.Guests[0].Steps.Enqueue(c =>
        {
            Assert.Equal(Gicv3GuestDriver.PrioIrqOn, Pmr(r, c)); // after boot: unmasked through PMR
            var outer = Probe(r, c);
            r.Chip.LocalIrqDisable(c);
            Assert.Equal(Gicv3GuestDriver.PrioIrqOff, Pmr(r, c));
            Assert.Equal(new Accesses(2, 0, 0, 2 * r.Gic.Vgic.Costs.IcvAccess), outer());
            var nested = Probe(r, c);
            r.Chip.LocalIrqDisable(c); // already masked: the read only
            r.Chip.LocalIrqEnable(c);  // restores IRQOFF: written all the same
            Assert.Equal(Gicv3GuestDriver.PrioIrqOff, Pmr(r, c));
            Assert.Equal(new Accesses(2, 0, 0, 2 * r.Gic.Vgic.Costs.IcvAccess), nested());
            r.Chip.LocalIrqEnable(c);
            Assert.Equal(Gicv3GuestDriver.PrioIrqOn, Pmr(r, c));
            Assert.Equal(new Accesses(5, 0, 0, 5 * r.Gic.Vgic.Costs.IcvAccess), outer());
        });
        r.Run();
        Assert.Empty(r.Guests[0].Steps);
    }

    [Fact]
    public void On_gicv3_trapall_every_PMR_access_of_local_irq_save_and_restore_is_a_trapped_sysreg_exit()
    {
        var r = new Rig(1, Gicv3Kit.TrapAllConfig);
        r.Guests[0].Steps.Enqueue(c =>
        {
            var p = Probe(r, c);
            r.Chip.LocalIrqDisable(c);
            Assert.Equal(Gicv3GuestDriver.PrioIrqOff, Pmr(r, c));
            r.Chip.LocalIrqEnable(c);
            Assert.Equal(Gicv3GuestDriver.PrioIrqOn, Pmr(r, c));
            var a = p();
            Assert.Equal((0L, 3L, 3L), (a.Icv, a.Trapped, a.SysregExits));
            var m = r.Vm.Costs;
            Assert.Equal(3 * (m.ExceptionRoundtrip + m.HypFastPath + m.SysregTrapDecode + r.Gic.Vgic.Costs.IccEmulate), a.Cycles);
        });
        r.Run();
        Assert.Empty(r.Guests[0].Steps);
    }

    [Fact]
    public void Without_pseudo_NMIs_local_irq_save_and_restore_use_PSTATE_I_and_touch_no_GIC_register()
    {
        var r = new Rig(1);
        r.Guests[0].Steps.Enqueue(c =>
        {
            var p = Probe(r, c);
            r.Chip.LocalIrqDisable(c);
            r.Chip.LocalIrqEnable(c);
            Assert.Equal(new Accesses(0, 0, 0, 0), p());
            Assert.Equal(Gicv3GuestDriver.DefaultPmr, Pmr(r, c));
        });
        r.Run();
        Assert.Empty(r.Guests[0].Steps);
    }

    [Fact]
    public void A_local_irq_restore_without_its_save_is_a_guest_bug()
    {
        var r = new Rig(1, PseudoNmi);
        r.Guests[0].Steps.Enqueue(c => Assert.Throws<InvalidOperationException>(() => r.Chip.LocalIrqEnable(c)));
        r.Run();
        Assert.Empty(r.Guests[0].Steps);
    }

    public static TheoryData<string> PseudoNmiDesigns() => ["gicv3 with pseudo-NMIs", "gicv3-trapall"];

    private static Gicv3Config Design(string name) => name == "gicv3-trapall" ? Gicv3Kit.TrapAllConfig : PseudoNmi;

    [Theory]
    [MemberData(nameof(PseudoNmiDesigns))]
    public void An_IPI_that_arrives_while_PMR_masks_it_is_held_in_the_list_register_and_taken_at_local_irq_restore(string design)
    {
        var r = new Rig(2, Design(design));
        var target = new VcpuId(0);
        bool sent = false;
        var g0 = r.Guests[0];
        g0.Gap = 300_000;
        g0.Steps.Enqueue(_ => { });
        g0.Steps.Enqueue(c => r.Chip.LocalIrqDisable(c));
        g0.Steps.Enqueue(c =>
        {
            Assert.True(sent);
            Assert.DoesNotContain((0, "ipi:Reschedule"), r.Handlers.Log);
            var cpuif = r.Gic.Vgic.CpuOf(c).Cpuif;
            Assert.Equal(IpiKind.Reschedule, (IpiKind)cpuif.ReadHppir(1)); // pending in a list register, below the mask
            Assert.False(cpuif.VirtualIrq);
            r.Chip.LocalIrqEnable(c);
            Assert.True(cpuif.VirtualIrq);
        });
        var g1 = r.Guests[1];
        g1.Gap = 400_000;
        g1.Steps.Enqueue(_ => { });
        g1.Steps.Enqueue(c =>
        {
            Assert.Equal(Gicv3GuestDriver.PrioIrqOff, Pmr(r, r.Vm.Vcpus[0])); // vCPU0 is inside its masked section
            r.Chip.SendIpi(c, IpiKind.Reschedule, [target]);
            sent = true;
        });
        r.Run();
        Assert.Empty(g0.Steps);
        Assert.Contains((0, "ipi:Reschedule"), r.Handlers.Log);
    }

    public static TheoryData<string, long, long> IrqPathAccesses() => new()
    {
        { "gicv3", 2, 0 },                  // IAR1, EOIR1
        { "gicv3 with pseudo-NMIs", 7, 0 }, // + entry PMR save and write, RPR, gic_pmr_mask_irqs, exit PMR restore
        { "gicv3-trapall", 0, 7 },
    };

    [Theory]
    [MemberData(nameof(IrqPathAccesses))]
    public void Taking_an_IPI_makes_the_IRQ_paths_ICC_accesses_which_gicv3_trapall_traps_every_one_of(string design, long icv, long trapped)
    {
        var config = design switch { "gicv3" => new Gicv3Config(), _ => Design(design) };
        var r = new Rig(2, config);
        Func<Accesses>? probe = null;
        var g0 = r.Guests[0];
        g0.Gap = 300_000;
        g0.Steps.Enqueue(_ => { });
        g0.Steps.Enqueue(c => { probe = Probe(r, c); r.Chip.SendIpi(c, IpiKind.CallFunction, [new VcpuId(1)]); });
        g0.Steps.Enqueue(c =>
        {
            Assert.Contains((1, "ipi:CallFunction"), r.Handlers.Log);
            var a = probe!();
            Assert.Equal((icv, trapped), (a.Icv, a.Trapped));
            Assert.Equal(1 + trapped, a.SysregExits); // the sender's SGI1R, and each trapped access of the receiver
        });
        r.Run();
        Assert.Empty(g0.Steps);
        var pmr = Pmr(r, r.Vm.Vcpus[1]);
        Assert.Equal(config.GuestPseudoNmi ? Gicv3GuestDriver.PrioIrqOn : Gicv3GuestDriver.DefaultPmr, pmr); // restored at exit
    }
}
