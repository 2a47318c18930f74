using IrqBench.Gicv3.CpuInterface;
using IrqBench.Machine;
using IrqBench.Machine.Vcpus;
using static IrqBench.Gicv3.Registers.Gicd;
using R = IrqBench.Gicv3.Registers.Gicr;

namespace IrqBench.Gicv3.Tests.Vgic;

/// <summary>Interrupts end to end through KVM's vgic: queue and kick, list registers, maintenance, the HW-mapped
/// timer, level SPIs, stop-the-world, SGI targeting.</summary>
public class DeliveryTests
{
    private sealed class Rig
    {
        public readonly VirtualMachine Vm;
        public readonly Gicv3Controller Gic;
        public readonly List<Ack> Acks = [];
        public readonly ScriptGuest[] Guests;
        public readonly HostEvents Host;

        public Rig(int vcpus = 2, Gicv3Config? config = null, bool wfi = true, byte pmr = 0xF0)
        {
            (Vm, Gic) = TestVm.Create(vcpus, config);
            TestVm.BasicSetup(Vm, Gic, pmr);
            Guests = Vm.Vcpus.Select(_ => new ScriptGuest(Acks, wfi)).ToArray();
            Host = new HostEvents(Vm);
        }

        public void Run(long limit = 50_000_000)
        {
            Vm.Boot(v => Guests[v.Id.Value]);
            Vm.Run(limit);
        }

        public ulong D(uint offset) => TestVm.Gicd(Gic, offset);

        /// <summary>SPI <paramref name="intid"/>: enabled, edge or level, routed to <paramref name="vcpu"/>.</summary>
        public void Spi(uint intid, int vcpu, byte priority = 0xA0, bool level = false)
        {
            var c = Vm.Vcpus[0];
            c.MmioWrite(D(IRouteR + intid * 8), 8, Vm.Vcpus[vcpu].Mpidr.Value);
            c.MmioWrite(D(IPriorityR + intid), 1, priority);
            ulong cfg = c.MmioRead(D(ICfgR + intid / 16 * 4), 4);
            int shift = (int)(intid % 16 * 2 + 1);
            cfg = level ? cfg & ~(1UL << shift) : cfg | 1UL << shift;
            c.MmioWrite(D(ICfgR + intid / 16 * 4), 4, cfg);
            c.MmioWrite(D(ISEnableR + intid / 32 * 4), 4, 1u << (int)(intid % 32));
        }

        public uint[] AcksOn(int vcpu) => Acks.Where(a => a.Vcpu == vcpu).Select(a => a.IntId).ToArray();
    }

    private static ulong Sgi1r(int sgi, uint targetList, int aff1 = 0, bool irm = false) =>
        (ulong)targetList | (ulong)aff1 << 16 | (ulong)sgi << 24 | (irm ? 1UL << 40 : 0);

    [Fact]
    public void An_SGI_reaches_every_vCPU_of_its_target_list_in_the_named_cluster_and_no_other()
    {
        var r = new Rig(vcpus: 20);
        r.Guests[0].Steps.Enqueue(c => c.SysregWrite(IccSysRegs.Sgi1r, Sgi1r(3, 0b0110)));          // vCPUs 1, 2
        r.Guests[0].Steps.Enqueue(c => c.SysregWrite(IccSysRegs.Sgi1r, Sgi1r(4, 0b1_0001, aff1: 1))); // vCPUs 16, 20 (absent)
        r.Run();
        Assert.Equal([3u], r.AcksOn(1));
        Assert.Equal([3u], r.AcksOn(2));
        Assert.Equal([4u], r.AcksOn(16));
        Assert.Equal(3, r.Acks.Count);
        Assert.Equal(2, r.Vm.Metrics.ExitsSysreg.Value);
    }

    [Fact]
    public void An_SGI_with_IRM_reaches_every_vCPU_but_the_sender()
    {
        var r = new Rig(vcpus: 5);
        r.Guests[2].Steps.Enqueue(c => c.SysregWrite(IccSysRegs.Sgi1r, Sgi1r(5, 0, irm: true)));
        r.Run();
        Assert.Equal([0, 1, 3, 4], r.Acks.Select(a => a.Vcpu).Order().ToArray());
        Assert.All(r.Acks, a => Assert.Equal(5u, a.IntId));
    }

    [Fact]
    public void An_SGI0R_write_cannot_generate_a_Group1_SGI()
    {
        var r = new Rig();
        r.Guests[0].Steps.Enqueue(c => c.SysregWrite(IccSysRegs.Sgi0r, Sgi1r(2, 0b10)));
        r.Run();
        Assert.Empty(r.Acks);
        Assert.False(r.Gic.Vgic.Cpus[1].Private[2].IsPending);
    }

    [Fact]
    public void A_disabled_interrupt_stays_pending_and_is_delivered_once_enabled()
    {
        var r = new Rig();
        r.Vm.Vcpus[0].MmioWrite(TestVm.Sgi(r.Gic, 1, R.ICEnableR0), 4, 1u << 6);
        r.Guests[0].Steps.Enqueue(c => c.SysregWrite(IccSysRegs.Sgi1r, Sgi1r(6, 0b10)));
        r.Guests[0].Steps.Enqueue(c => Assert.Empty(r.Acks));
        r.Guests[1].StepGap = 100_000;
        r.Guests[1].Steps.Enqueue(_ => { });
        r.Guests[1].Steps.Enqueue(c => c.MmioWrite(TestVm.Sgi(r.Gic, 1, R.ISEnableR0), 4, 1u << 6));
        r.Run();
        Assert.Equal([6u], r.AcksOn(1));
    }

    [Fact]
    public void An_interrupt_at_or_below_the_priority_mask_waits_until_the_mask_is_lowered_without_an_exit()
    {
        var r = new Rig(wfi: false);
        r.Spi(40, 0, priority: 0xF0);
        r.Host.At(1000, h => r.Gic.SetSpiLevel(h, 40, true));
        r.Guests[0].StepGap = 200_000;
        r.Guests[0].Steps.Enqueue(_ => { });
        long exits = 0;
        r.Guests[0].Steps.Enqueue(c =>
        {
            Assert.Empty(r.Acks);
            exits = r.Vm.Metrics.ExitsTotal;
            c.SysregWrite(IccSysRegs.Pmr, 0xF8);
        });
        r.Run();
        Assert.Equal([40u], r.AcksOn(0));
        Assert.Equal(exits, r.Vm.Metrics.ExitsTotal);
    }

    [Fact]
    public void A_higher_priority_interrupt_preempts_an_active_one_and_a_lower_one_waits_for_the_priority_drop()
    {
        var r = new Rig(wfi: false);
        r.Spi(40, 0, priority: 0x80);
        r.Spi(41, 0, priority: 0x40);
        r.Spi(42, 0, priority: 0xA0);
        var held = new Stack<uint>();
        r.Guests[0].Handler = c =>
        {
            uint id = (uint)c.SysregRead(IccSysRegs.Iar1);
            if (SpecialIntIds.IsSpecial(id)) return;
            r.Acks.Add(new Ack(0, id, c.Now));
            held.Push(id); // no EOI yet: the guest stays in the handler
        };
        r.Host.At(1000, h => r.Gic.SetSpiLevel(h, 40, true));
        r.Host.At(20_000, h => r.Gic.SetSpiLevel(h, 41, true)); // preempts 40
        r.Host.At(40_000, h => r.Gic.SetSpiLevel(h, 42, true)); // lower than the running priority: waits
        r.Guests[0].StepGap = 100_000;
        r.Guests[0].Steps.Enqueue(_ => { });
        r.Guests[0].Steps.Enqueue(c =>
        {
            Assert.Equal([40u, 41u], r.Acks.Select(a => a.IntId));
            Assert.Equal(0x40u, (uint)c.SysregRead(IccSysRegs.Rpr));
            while (held.TryPop(out uint id)) c.SysregWrite(IccSysRegs.Eoir1, id);
            r.Guests[0].Handler = null;
        });
        r.Run();
        Assert.Equal([40u, 41u, 42u], r.Acks.Select(a => a.IntId));
    }

    [Theory]
    [InlineData(OverflowPolicy.Kvm612)]
    [InlineData(OverflowPolicy.Kvm619)]
    public void More_pending_interrupts_than_list_registers_are_each_delivered_once_in_priority_order(OverflowPolicy policy)
    {
        var r = new Rig(config: new Gicv3Config { Policy = policy }, wfi: false);
        byte[] prio = [0x90, 0x30, 0xC0, 0x10, 0x70, 0x50, 0xB0];
        for (int i = 0; i < prio.Length; i++) r.Spi((uint)(40 + i), 0, prio[i]);
        r.Host.At(10_000, h => { for (int i = 0; i < prio.Length; i++) r.Gic.SetSpiLevel(h, (uint)(40 + i), true); });
        r.Run();
        var expected = Enumerable.Range(0, prio.Length).OrderBy(i => prio[i]).Select(i => (uint)(40 + i)).ToArray();
        Assert.Equal(expected, r.AcksOn(0));
        Assert.True(r.Vm.Metrics.LrOverflows.Value >= 1);
        Assert.True(r.Gic.Vgic.MaintenanceRaised.Value >= 1);
        Assert.True(r.Vm.Metrics.ExitsMaintenance.Value >= 1);
        Assert.True(r.Vm.Metrics.LrWrites.Value >= prio.Length);
    }

    [Fact]
    public void A_level_SPI_is_delivered_again_after_its_EOI_while_its_line_stays_high()
    {
        var r = new Rig(wfi: false);
        r.Spi(50, 1, level: true);
        int seen = 0;
        r.Guests[1].OnAck = (c, id) => { if (++seen == 3) r.Gic.SetSpiLevel(r.Vm.Host(c.Now), 50, false); };
        r.Host.At(5000, h => r.Gic.SetSpiLevel(h, 50, true));
        r.Run();
        Assert.Equal([50u, 50u, 50u], r.AcksOn(1));
        Assert.Equal(3, r.Gic.Vgic.LevelAcks.Value);              // each EOI asked for an EOI maintenance interrupt
        Assert.True(r.Vm.Metrics.ExitsMaintenance.Value >= 3);
    }

    [Fact]
    public void An_edge_SPI_raised_again_while_pending_is_delivered_once()
    {
        var r = new Rig(wfi: false, pmr: 0x10);
        r.Spi(45, 0);
        r.Host.At(1000, h => r.Gic.SetSpiLevel(h, 45, true));
        r.Host.At(5000, h => r.Gic.SetSpiLevel(h, 45, true));
        r.Guests[0].StepGap = 50_000;
        r.Guests[0].Steps.Enqueue(_ => { });
        r.Guests[0].Steps.Enqueue(c => c.SysregWrite(IccSysRegs.Pmr, 0xF0));
        r.Run();
        Assert.Equal([45u], r.AcksOn(0));
    }

    [Fact]
    public void The_HW_mapped_timer_costs_one_exit_and_the_guests_EOI_deactivates_the_physical_interrupt()
    {
        var r = new Rig(wfi: false);
        r.Vm.Vcpus[0].MmioWrite(TestVm.Sgi(r.Gic, 0, R.ISEnableR0), 4, 1u << 27);
        var irq = r.Gic.Vgic.Cpus[0].Private[27];
        r.Guests[0].OnAck = (c, id) =>
        {
            Assert.True(irq.PhysActive); // the host keeps it active while the guest owns it
            c.Timer.Disable();
        };
        long exitsBefore = 0;
        r.Guests[0].Steps.Enqueue(c => { exitsBefore = r.Vm.Metrics.ExitsTotal; c.Timer.SetDeadline(c.Now + 20_000); });
        r.Run();
        Assert.Equal([27u], r.AcksOn(0));
        Assert.False(irq.PhysActive);
        Assert.Equal(1, r.Vm.Metrics.ExitsTimer.Value);
        Assert.Equal(exitsBefore + 1, r.Vm.Metrics.ExitsTotal); // no maintenance exit at EOI
        Assert.Equal(0, r.Vm.Metrics.ExitsMaintenance.Value);
    }

    [Fact]
    public void A_timer_still_asserted_at_EOI_fires_again()
    {
        var r = new Rig(wfi: false);
        r.Vm.Vcpus[0].MmioWrite(TestVm.Sgi(r.Gic, 0, R.ISEnableR0), 4, 1u << 27);
        int n = 0;
        r.Guests[0].OnAck = (c, id) => { if (++n == 2) c.Timer.Disable(); };
        r.Guests[0].Steps.Enqueue(c => c.Timer.SetDeadline(c.Now + 20_000));
        r.Run();
        Assert.Equal([27u, 27u], r.AcksOn(0));
        Assert.Equal(2, r.Vm.Metrics.ExitsTimer.Value);
    }

    [Fact]
    public void A_vCPU_halted_in_WFI_is_woken_by_an_SGI()
    {
        var r = new Rig();
        r.Guests[0].StepGap = 3_000_000; // vCPU1 is asleep by then (past the halt-poll window)
        r.Guests[0].Steps.Enqueue(_ => { });
        r.Guests[0].Steps.Enqueue(c => c.SysregWrite(IccSysRegs.Sgi1r, Sgi1r(1, 0b10)));
        r.Run();
        Assert.Equal([1u], r.AcksOn(1));
        Assert.True(r.Vm.Metrics.Wakeups.Value >= 1);
    }

    [Fact]
    public void An_SPI_raised_while_the_distributor_is_disabled_waits_for_a_write_that_queues_it_as_in_KVM()
    {
        // KVM's oracle sends nothing anywhere while the distributor is disabled, and enabling it only kicks vCPUs
        // whose ap_lists hold something (vgic_kick_vcpus): the SPI is queued by the next ISENABLER write.
        var r = new Rig(wfi: false);
        r.Spi(40, 1);
        r.Vm.Vcpus[0].MmioWrite(r.D(Ctlr), 4, 0);
        r.Host.At(1000, h => r.Gic.SetSpiLevel(h, 40, true));
        r.Guests[0].StepGap = 100_000;
        r.Guests[0].Steps.Enqueue(_ => { });
        r.Guests[0].Steps.Enqueue(c => { Assert.Empty(r.Acks); c.MmioWrite(r.D(Ctlr), 4, CtlrEnableGrp1); });
        r.Guests[0].Steps.Enqueue(c => { Assert.Empty(r.Acks); c.MmioWrite(r.D(ISEnableR + 4), 4, 1u << 8); });
        r.Run();
        Assert.Equal([40u], r.AcksOn(1));
    }

    [Fact]
    public void Reading_ISACTIVER_halts_every_vCPU_and_sees_the_active_state_in_another_vCPUs_list_register()
    {
        var r = new Rig(wfi: false);
        r.Spi(40, 1);
        r.Guests[1].Eoi = false; // vCPU1 acknowledges and keeps it active
        r.Host.At(1000, h => r.Gic.SetSpiLevel(h, 40, true));
        ulong seen = 0;
        long kicksBefore = 0;
        r.Guests[0].StepGap = 100_000;
        r.Guests[0].Steps.Enqueue(_ => { });
        r.Guests[0].Steps.Enqueue(c =>
        {
            kicksBefore = r.Vm.Metrics.ExitsKick.Value;
            seen = c.MmioRead(r.D(ISActiveR + 4), 4);
        });
        r.Run();
        Assert.Equal(1UL << 8, seen);
        Assert.Equal(1, r.Vm.Metrics.HaltAll.Value);
        Assert.True(r.Vm.Metrics.ExitsKick.Value > kicksBefore); // vCPU1 was made to exit
        Assert.True(r.Gic.Vgic.GetIrq(null, 40)!.Active);
    }

    [Fact]
    public void Deactivating_through_ICACTIVER_reaches_the_list_register_of_the_owning_vCPU()
    {
        var r = new Rig(wfi: false);
        r.Spi(40, 1);
        // vCPU1 runs with EOImode 1 and only drops priority: the interrupt stays active, so a second edge would
        // stay pending behind it (A+P) until something deactivates it.
        r.Guests[1].Steps.Enqueue(c => c.SysregWrite(IccSysRegs.Ctlr, IccCtlr.EoiMode));
        r.Host.At(10_000, h => r.Gic.SetSpiLevel(h, 40, true));
        r.Host.At(50_000, h => r.Gic.SetSpiLevel(h, 40, true));
        r.Guests[0].StepGap = 100_000;
        r.Guests[0].Steps.Enqueue(_ => { });
        r.Guests[0].Steps.Enqueue(c =>
        {
            Assert.Equal([40u], r.AcksOn(1));
            c.MmioWrite(r.D(ICActiveR + 4), 4, 1u << 8);
        });
        r.Run();
        Assert.Equal([40u, 40u], r.AcksOn(1));
    }

    [Fact]
    public void An_IROUTER_change_moves_a_queued_SPI_at_the_old_targets_next_exit()
    {
        var r = new Rig(wfi: false);
        r.Spi(40, 1, priority: 0xF8); // masked by PMR 0xF0 on vCPU1: it waits on vCPU1's ap_list
        r.Host.At(1000, h => r.Gic.SetSpiLevel(h, 40, true));
        r.Guests[0].StepGap = 50_000;
        r.Guests[0].Steps.Enqueue(_ => { });
        r.Guests[0].Steps.Enqueue(c =>
        {
            c.MmioWrite(r.D(IPriorityR + 40), 1, 0xA0);
            c.MmioWrite(r.D(IRouteR + 40 * 8), 8, r.Vm.Vcpus[0].Mpidr.Value);
        });
        r.Guests[1].StepGap = 150_000;
        r.Guests[1].Steps.Enqueue(_ => { });
        r.Guests[1].Steps.Enqueue(c => c.MmioRead(r.D(Typer), 4)); // any exit: fold and prune
        r.Run();
        Assert.Equal([40u], r.AcksOn(0));
        Assert.Empty(r.AcksOn(1));
        Assert.Equal(1, r.Gic.Vgic.ApListMigrations.Value);
    }

    [Fact]
    public void With_EOImode1_DIR_deactivates_in_the_list_register_without_a_trap_under_the_v612_policy()
    {
        var r = new Rig(wfi: false);
        r.Spi(40, 0);
        r.Guests[0].Steps.Enqueue(c => c.SysregWrite(IccSysRegs.Ctlr, IccCtlr.EoiMode));
        r.Guests[0].OnAck = (c, id) => { c.SysregWrite(IccSysRegs.Eoir1, id); c.SysregWrite(IccSysRegs.Dir, id); };
        r.Guests[0].Eoi = false;
        r.Host.At(10_000, h => r.Gic.SetSpiLevel(h, 40, true));
        r.Host.At(100_000, h => r.Gic.SetSpiLevel(h, 40, true));
        r.Run();
        Assert.Equal([40u, 40u], r.AcksOn(0));
        Assert.Equal(0, r.Gic.Vgic.DirTraps.Value);
    }

    [Fact]
    public void Under_the_v619_policy_an_active_SPI_sets_TDIR_and_DIR_traps()
    {
        var r = new Rig(config: new Gicv3Config { Policy = OverflowPolicy.Kvm619 }, wfi: false);
        r.Spi(40, 0);
        r.Guests[0].Steps.Enqueue(c => c.SysregWrite(IccSysRegs.Ctlr, IccCtlr.EoiMode));
        r.Guests[0].OnAck = (c, id) => { c.SysregWrite(IccSysRegs.Eoir1, id); c.SysregWrite(IccSysRegs.Dir, id); };
        r.Guests[0].Eoi = false;
        r.Host.At(10_000, h => r.Gic.SetSpiLevel(h, 40, true));
        r.Host.At(100_000, h => r.Gic.SetSpiLevel(h, 40, true));
        r.Run();
        Assert.Equal([40u, 40u], r.AcksOn(0));
        Assert.Equal(2, r.Gic.Vgic.DirTraps.Value);
        Assert.Equal(1, r.Gic.Vgic.BroadcastKicks.Value); // the first SPI queued made every vCPU re-enter
    }

    [Fact]
    public void Under_the_v619_policy_a_trapped_DIR_of_an_SPI_active_in_another_vCPUs_list_register_halts_the_guest_and_deactivates_it()
    {
        // vgic_v3_deactivate looks at irq->vcpu, not at the oracle: an SPI acknowledged by vCPU1 is active only in
        // vCPU1's list register (its software state is neither active nor pending), and a DIR from vCPU0 must still
        // reach it, through the ICACTIVER path that halts every vCPU.
        var r = new Rig(config: new Gicv3Config { Policy = OverflowPolicy.Kvm619 }, wfi: false);
        r.Spi(40, 1);
        foreach (var g in r.Guests) g.Steps.Enqueue(c => c.SysregWrite(IccSysRegs.Ctlr, IccCtlr.EoiMode));
        r.Host.At(10_000, h => r.Gic.SetSpiLevel(h, 40, true)); // vCPU1 takes it and only drops priority
        var irq = r.Gic.Vgic.GetIrq(null, 40)!;
        r.Guests[0].StepGap = 100_000;
        r.Guests[0].Steps.Enqueue(_ => { });
        r.Guests[0].Steps.Enqueue(c =>
        {
            Assert.Equal([40u], r.AcksOn(1));
            Assert.True(irq.OnLr && !irq.Active && !irq.IsPending); // active only in vCPU1's list register
            Assert.True(r.Gic.Vgic.IsActive(irq));
            c.SysregWrite(IccSysRegs.Dir, 40);
            Assert.False(r.Gic.Vgic.IsActive(irq));
        });
        r.Host.At(300_000, h => r.Gic.SetSpiLevel(h, 40, true)); // deactivated, so a second edge is taken
        r.Run();
        Assert.Equal(1, r.Vm.Metrics.HaltAll.Value);
        Assert.Equal(1, r.Gic.Vgic.DirTraps.Value);
        Assert.Equal([40u, 40u], r.AcksOn(1));
    }

    [Fact]
    public void Under_the_v619_policy_EOIs_of_active_interrupts_outside_the_list_registers_are_replayed_from_EOIcount()
    {
        var r = new Rig(config: new Gicv3Config { Policy = OverflowPolicy.Kvm619 }, wfi: false);
        byte[] prio = [0xC0, 0xA0, 0x80, 0x60, 0x40, 0x20];
        for (int i = 0; i < prio.Length; i++) r.Spi((uint)(40 + i), 0, prio[i]);
        var held = new Stack<uint>();
        r.Guests[0].Handler = c =>
        {
            uint id = (uint)c.SysregRead(IccSysRegs.Iar1);
            if (SpecialIntIds.IsSpecial(id)) return;
            r.Acks.Add(new Ack(0, id, c.Now));
            held.Push(id); // nested: each one preempts the previous, none completed yet
        };
        for (int i = 0; i < prio.Length; i++)
        {
            uint id = (uint)(40 + i);
            r.Host.At(10_000 * (i + 1), h => r.Gic.SetSpiLevel(h, id, true));
        }
        r.Guests[0].StepGap = 200_000;
        r.Guests[0].Steps.Enqueue(_ => { });
        r.Guests[0].Steps.Enqueue(c =>
        {
            Assert.Equal(6, held.Count);
            while (held.TryPop(out uint id)) c.SysregWrite(IccSysRegs.Eoir1, id); // reverse acknowledge order
            r.Guests[0].Handler = null;
        });
        for (int i = 0; i < prio.Length; i++)
        {
            uint id = (uint)(40 + i);
            r.Host.At(600_000, h => r.Gic.SetSpiLevel(h, id, true));
        }
        r.Run();
        Assert.Equal(12, r.Acks.Count); // all six were deactivated, so the second edges were delivered too
        Assert.True(r.Gic.Vgic.EoiCountReplays.Value >= 1);
        Assert.All(Enumerable.Range(40, 6), id => Assert.False(r.Gic.Vgic.GetIrq(null, (uint)id)!.Active));
    }
}
