using IrqBench.Gicv3.CpuInterface;

namespace IrqBench.Gicv3.Tests.CpuInterface;

/// <summary>The virtual CPU interface as hardware (gicv3.md §4): what the guest's ICV accesses do to the list
/// registers, with no hypervisor involved.</summary>
public class VirtualCpuInterfaceTests
{
    private sealed class PhysicalLog : IPhysicalDeactivation
    {
        public readonly List<uint> Deactivated = [];
        public void Deactivate(uint pintid) => Deactivated.Add(pintid);
    }

    private static VirtualCpuInterface Enabled(byte pmr = 0xFF, int lrs = 4)
    {
        var c = new VirtualCpuInterface(lrs) { Hcr = IchHcr.En };
        c.Pmr = pmr;
        c.SetGroupEnable(1, true);
        return c;
    }

    [Fact]
    public void Reset_binary_points_are_the_minimum_and_nothing_is_signalled()
    {
        var c = new VirtualCpuInterface();
        Assert.Equal(2, c.ReadBpr(0)); // 5 preemption bits: minimum BPR0 = 7 - 5
        Assert.Equal(3, c.ReadBpr(1)); // BPR1's minimum is one more
        Assert.Equal(0xFFu, c.ReadRpr());
        Assert.False(c.VirtualIrq);
        Assert.Equal(SpecialIntIds.Spurious, c.ReadIar(1));
        c.WriteBpr(1, 0);
        Assert.Equal(3, c.ReadBpr(1)); // writing below the minimum sets the minimum
    }

    [Fact]
    public void Acknowledging_moves_the_interrupt_to_active_and_raises_the_running_priority()
    {
        var c = Enabled();
        c.SetLr(0, IchLr.Make(40, 0xA0, 1, pending: true));
        Assert.True(c.VirtualIrq);
        Assert.Equal(40u, c.ReadIar(1));
        Assert.True(IchLr.IsActive(c.GetLr(0)));
        Assert.False(IchLr.IsPending(c.GetLr(0)));
        Assert.Equal(0xA0u, c.ReadRpr());
        Assert.False(c.VirtualIrq);
    }

    [Fact]
    public void The_priority_mask_masks_equal_and_lower_priorities()
    {
        var c = Enabled(pmr: 0xA0);
        c.SetLr(0, IchLr.Make(40, 0xA0, 1, pending: true));
        Assert.False(c.VirtualIrq);
        Assert.Equal(SpecialIntIds.Spurious, c.ReadIar(1));
        c.Pmr = 0xA8;
        Assert.True(c.VirtualIrq);
    }

    [Fact]
    public void Unimplemented_priority_bits_read_as_zero()
    {
        var c = Enabled();
        c.Pmr = 0xA7;
        Assert.Equal(0xA0, c.Pmr);
        c.SetLr(1, IchLr.Make(33, 0x47, 1, pending: true));
        Assert.Equal(0x40, IchLr.Priority(c.GetLr(1)));
    }

    [Fact]
    public void Only_a_higher_group_priority_preempts_the_running_one()
    {
        var c = Enabled();
        c.SetLr(0, IchLr.Make(40, 0x80, 1, pending: true));
        Assert.Equal(40u, c.ReadIar(1));
        c.SetLr(1, IchLr.Make(41, 0x80, 1, pending: true)); // same priority: no preemption
        Assert.False(c.VirtualIrq);
        c.SetLr(2, IchLr.Make(42, 0x60, 1, pending: true)); // higher: preempts
        Assert.True(c.VirtualIrq);
        Assert.Equal(42u, c.ReadIar(1));
        Assert.Equal(0x60u, c.ReadRpr());
    }

    [Fact]
    public void Subpriority_does_not_preempt()
    {
        var c = Enabled();
        c.WriteBpr(1, 5); // group priority = bits [7:5]
        c.SetLr(0, IchLr.Make(40, 0x90, 1, pending: true));
        Assert.Equal(40u, c.ReadIar(1));
        c.SetLr(1, IchLr.Make(41, 0x88, 1, pending: true)); // same group priority 0x80, lower subpriority
        Assert.False(c.VirtualIrq);
        c.SetLr(2, IchLr.Make(42, 0x60, 1, pending: true));
        Assert.True(c.VirtualIrq);
    }

    [Fact]
    public void The_highest_priority_pending_LR_is_acknowledged_first()
    {
        var c = Enabled();
        c.SetLr(0, IchLr.Make(40, 0xC0, 1, pending: true));
        c.SetLr(1, IchLr.Make(41, 0x40, 1, pending: true));
        c.SetLr(2, IchLr.Make(42, 0x80, 1, pending: true));
        Assert.Equal(41u, c.ReadHppir(1));
        Assert.Equal(41u, c.ReadIar(1));
    }

    [Fact]
    public void EOImode0_drops_priority_and_deactivates()
    {
        var c = Enabled();
        c.SetLr(0, IchLr.Make(40, 0xA0, 1, pending: true));
        c.ReadIar(1);
        c.WriteEoir(1, 40);
        Assert.Equal(0xFFu, c.ReadRpr());
        Assert.False(IchLr.IsValid(c.GetLr(0)));
    }

    [Fact]
    public void EOImode1_only_drops_priority_and_DIR_deactivates()
    {
        var c = Enabled();
        c.WriteCtlr(IccCtlr.EoiMode);
        Assert.Equal(IccCtlr.EoiMode, c.ReadCtlr() & IccCtlr.EoiMode);
        c.SetLr(0, IchLr.Make(40, 0xA0, 1, pending: true));
        c.ReadIar(1);
        c.WriteEoir(1, 40);
        Assert.Equal(0xFFu, c.ReadRpr());
        Assert.True(IchLr.IsActive(c.GetLr(0)));
        c.WriteDir(40);
        Assert.False(IchLr.IsValid(c.GetLr(0)));
    }

    [Fact]
    public void DIR_is_ignored_with_EOImode0()
    {
        var c = Enabled();
        c.SetLr(0, IchLr.Make(40, 0xA0, 1, pending: false, active: true));
        c.WriteDir(40);
        Assert.True(IchLr.IsActive(c.GetLr(0)));
        Assert.Equal(0u, IchHcr.EoiCount(c.Hcr));
    }

    [Fact]
    public void An_EOI_that_finds_no_list_register_counts_in_EOIcount_and_raises_LRENP_when_enabled()
    {
        var c = Enabled();
        c.SetLr(0, IchLr.Make(40, 0xA0, 1, pending: true));
        c.ReadIar(1);
        c.SetLr(0, 0); // the hypervisor took the LR away (the interrupt is active outside the LRs)
        c.WriteEoir(1, 40);
        Assert.Equal(1u, IchHcr.EoiCount(c.Hcr));
        Assert.False(c.MaintenanceAsserted);
        c.Hcr |= IchHcr.LrEnPie;
        Assert.Equal(IchMisr.LrEnp, c.Misr & IchMisr.LrEnp);
        Assert.True(c.MaintenanceAsserted);
    }

    [Fact]
    public void Special_INTIDs_and_an_EOI_with_nothing_active_do_nothing()
    {
        var c = Enabled();
        c.WriteEoir(1, SpecialIntIds.Spurious);
        c.WriteEoir(1, 40);
        Assert.Equal(0u, IchHcr.EoiCount(c.Hcr));
    }

    [Fact]
    public void Deactivating_a_hardware_LR_deactivates_the_physical_interrupt_without_maintenance()
    {
        var log = new PhysicalLog();
        var c = Enabled();
        c.Physical = log;
        c.SetLr(0, IchLr.Make(27, 0xA0, 1, pending: true, hw: true, pintid: 27));
        Assert.Equal(27u, c.ReadIar(1));
        c.WriteEoir(1, 27);
        Assert.Equal([27u], log.Deactivated);
        Assert.Equal(0u, c.Eisr);
        Assert.False(c.MaintenanceAsserted);
    }

    [Fact]
    public void Deactivating_an_LR_with_EOI_set_raises_the_EOI_maintenance_interrupt()
    {
        var c = Enabled();
        c.SetLr(2, IchLr.Make(50, 0xA0, 1, pending: true, eoi: true));
        c.ReadIar(1);
        Assert.False(c.MaintenanceAsserted);
        c.WriteEoir(1, 50);
        Assert.Equal(1u << 2, c.Eisr);
        Assert.Equal(0u, c.Elrsr & (1u << 2)); // not empty: it still has a maintenance interrupt to signal
        Assert.True(c.MaintenanceAsserted);
    }

    [Fact]
    public void Underflow_and_no_pending_maintenance_follow_UIE_and_NPIE()
    {
        var c = Enabled();
        c.Hcr |= IchHcr.Uie | IchHcr.NpIe;
        c.SetLr(0, IchLr.Make(40, 0xA0, 1, pending: true));
        c.SetLr(1, IchLr.Make(41, 0xA0, 1, pending: true));
        Assert.Equal(0u, c.Misr & (IchMisr.U | IchMisr.Np));
        c.ReadIar(1);
        c.WriteEoir(1, 40);
        Assert.Equal(IchMisr.U, c.Misr & (IchMisr.U | IchMisr.Np)); // one valid LR left, still pending
        c.ReadIar(1);
        Assert.Equal(IchMisr.U | IchMisr.Np, c.Misr & (IchMisr.U | IchMisr.Np));
    }

    [Fact]
    public void A_disabled_group_is_never_signalled_and_group_enable_changes_can_raise_maintenance()
    {
        var c = Enabled();
        c.SetLr(0, IchLr.Make(40, 0xA0, 1, pending: true));
        c.SetGroupEnable(1, false);
        Assert.False(c.VirtualIrq);
        Assert.Equal(-1, c.HighestPriorityPendingIndex());
        c.Hcr |= IchHcr.VGrp1Eie;
        Assert.False(c.MaintenanceAsserted);
        c.SetGroupEnable(1, true);
        Assert.True(c.MaintenanceAsserted);
        Assert.True(c.VirtualIrq);
    }

    [Fact]
    public void A_Group0_LR_is_a_vFIQ_and_IAR1_does_not_take_it()
    {
        var c = Enabled();
        c.SetGroupEnable(0, true);
        c.SetLr(0, IchLr.Make(40, 0xA0, 0, pending: true));
        Assert.False(c.VirtualIrq);
        Assert.True(c.VirtualFiq);
        Assert.Equal(SpecialIntIds.Spurious, c.ReadIar(1));
        Assert.Equal(40u, c.ReadIar(0));
    }

    [Fact]
    public void The_interface_signals_nothing_while_ICH_HCR_En_is_clear()
    {
        var c = Enabled();
        c.SetLr(0, IchLr.Make(40, 0xA0, 1, pending: true));
        c.Hcr = 0;
        Assert.False(c.VirtualIrq);
        Assert.Equal(SpecialIntIds.Spurious, c.ReadIar(1));
    }

    [Fact]
    public void An_empty_list_register_shows_in_ELRSR()
    {
        var c = Enabled(lrs: 4);
        c.SetLr(1, IchLr.Make(40, 0xA0, 1, pending: true));
        Assert.Equal(0b1101u, c.Elrsr);
        Assert.Equal(3u, c.Vtr & 0x1F);
    }
}
