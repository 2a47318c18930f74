using IrqBench.Gicv3.Guest;
using IrqBench.Gicv3.Registers;
using C = IrqBench.Gicv3.Its.ItsCommand;
using T = IrqBench.Gicv3.Its.ItsCommandType;

namespace IrqBench.Gicv3.Tests.Its;

/// <summary>LPIs on the redistributors (property and pending tables, EnableLPIs, direct invalidation) and KVM's
/// translation cache on the MSI path.</summary>
public class LpiTests
{
    [Fact]
    public void The_translation_cache_is_filled_by_a_slow_translation_and_invalidated_where_KVM_invalidates_it()
    {
        var r = new ItsRig();
        r.Map(5, 3, 8300, 1);
        var host = r.Vm.Host(0);
        var its = r.Its;
        its.InjectMsi(host, 5, 3);
        Assert.Equal((0L, 1L), (its.CacheHits.Value, its.CacheMisses.Value));
        its.InjectMsi(host, 5, 3);
        Assert.Equal((1L, 1L), (its.CacheHits.Value, its.CacheMisses.Value));
        Assert.Equal(1, its.CachedTranslations);

        r.Cmd(C.Movi(5, 3, 0));                   // MOVI invalidates
        Assert.Equal(0, its.CachedTranslations);
        its.InjectMsi(host, 5, 3);
        Assert.Equal(2, its.CacheMisses.Value);
        r.Cmd(C.Mapc(7, 1, valid: false));        // MAPC unmap invalidates
        Assert.Equal(0, its.CachedTranslations);
        its.InjectMsi(host, 5, 3);
        r.Cmd(C.Event(T.Discard, 5, 3));          // DISCARD invalidates
        Assert.Equal(0, its.CachedTranslations);
        r.Map(5, 4, 8301, 1);
        its.InjectMsi(host, 5, 4);
        r.Cmd(C.Mapd(5, 8, 0x4000_0000, valid: false)); // MAPD invalidates
        Assert.Equal(0, its.CachedTranslations);
    }

    [Fact]
    public void Disabling_the_ITS_or_LPIs_on_a_redistributor_invalidates_the_cache_and_stops_translation()
    {
        var r = new ItsRig();
        r.Map(5, 3, 8300, 1);
        var host = r.Vm.Host(0);
        r.Its.InjectMsi(host, 5, 3);
        var rd1 = TestVm.Rd(r.Gic, 1, Gicr.Ctlr);
        r.Cpu0.MmioWrite(rd1, 4, 0); // EnableLPIs 1 -> 0
        Assert.Equal(0, r.Its.CachedTranslations);
        Assert.Null(r.Lpi(8300)!.Vcpu); // off vCPU1's ap_list
        r.Its.InjectMsi(host, 5, 3);
        Assert.Equal(1, r.Its.MsisDropped.Value);
        r.Cpu0.MmioWrite(r.Gic.Config.ItsBase, 4, 0); // ITS disabled
        Assert.False(r.Its.Enabled);
    }

    [Fact]
    public void Enabling_LPIs_imports_the_pending_table_unless_PTZ_says_it_is_zero()
    {
        var r = new ItsRig();
        r.Map(5, 3, 8300, 1);
        var rd1 = TestVm.Rd(r.Gic, 1, 0);
        r.Cpu0.MmioWrite(rd1 + Gicr.Ctlr, 4, 0);
        ulong pend = r.Gic.Vgic.Cpus[1].PendBaser & 0x000F_FFFF_FFFF_0000;
        r.Vm.Memory.WriteByte(pend + 8300 / 8, (byte)(1 << (8300 % 8)));
        r.Cpu0.MmioWrite(rd1 + Gicr.Ctlr, 4, Gicr.CtlrEnableLpis);
        Assert.True(r.Lpi(8300)!.IsPending);

        r.Cmd(C.Event(T.Clear, 5, 3));
        r.Cpu0.MmioWrite(rd1 + Gicr.Ctlr, 4, 0);
        r.Cpu0.MmioWrite(rd1 + Gicr.PendBaser, 8, pend | 1UL << 62); // PTZ
        Assert.Equal(pend, r.Cpu0.MmioRead(rd1 + Gicr.PendBaser, 8) & ~0xFFFUL); // PTZ reads as zero
        r.Cpu0.MmioWrite(rd1 + Gicr.Ctlr, 4, Gicr.CtlrEnableLpis);
        Assert.False(r.Lpi(8300)!.IsPending);
    }

    [Fact]
    public void PROPBASER_and_PENDBASER_cannot_change_while_LPIs_are_enabled()
    {
        var r = new ItsRig();
        var rd1 = TestVm.Rd(r.Gic, 1, 0);
        ulong prop = r.Cpu0.MmioRead(rd1 + Gicr.PropBaser, 8);
        r.Cpu0.MmioWrite(rd1 + Gicr.PropBaser, 8, 0x4000_0000);
        Assert.Equal(prop, r.Cpu0.MmioRead(rd1 + Gicr.PropBaser, 8));
        ulong pend = r.Cpu0.MmioRead(rd1 + Gicr.PendBaser, 8);
        r.Cpu0.MmioWrite(rd1 + Gicr.PendBaser, 8, 0x4000_0000);
        Assert.Equal(pend, r.Cpu0.MmioRead(rd1 + Gicr.PendBaser, 8));
        Assert.Equal(Gicr.CtlrEnableLpis, r.Cpu0.MmioRead(rd1 + Gicr.Ctlr, 4) & Gicr.CtlrEnableLpis);
    }

    [Fact]
    public void GICR_INVLPIR_and_INVALLR_make_property_changes_visible()
    {
        var r = new ItsRig();
        r.Map(5, 3, 8300, 1);
        r.Map(5, 4, 8301, 1);
        var rd1 = TestVm.Rd(r.Gic, 1, 0);
        r.SetProperty(8300, ItsGuestDriver.PropDefault);
        r.SetProperty(8301, ItsGuestDriver.PropDefault);
        r.Cpu0.MmioWrite(rd1 + Gicr.InvLpiR, 8, 8300);
        Assert.False(r.Lpi(8300)!.Enabled);
        Assert.True(r.Lpi(8301)!.Enabled);
        r.Cpu0.MmioWrite(rd1 + Gicr.InvAllR, 8, 0);
        Assert.False(r.Lpi(8301)!.Enabled);
    }

    [Fact]
    public void Mapping_an_event_takes_the_LPIs_pending_bit_from_the_target_pending_table()
    {
        var r = new ItsRig();
        ulong pend = r.Gic.Vgic.Cpus[1].PendBaser & 0x000F_FFFF_FFFF_0000;
        r.Vm.Memory.WriteByte(pend + 8300 / 8, (byte)(1 << (8300 % 8)));
        r.Map(5, 3, 8300, 1);
        Assert.True(r.Lpi(8300)!.IsPending);
        Assert.Equal(0, r.Vm.Memory.ReadByte(pend + 8300 / 8)); // consumed
        r.Run();
        Assert.Equal([8300u], r.AcksOn(1));
    }

    [Fact]
    public void Several_events_may_map_the_same_LPI_and_it_stays_until_the_last_goes()
    {
        var r = new ItsRig();
        r.Map(5, 3, 8300, 1);
        r.Cmd(C.Mapti(5, 4, 8300, 1));
        r.Cmd(C.Event(T.Discard, 5, 3));
        Assert.NotNull(r.Lpi(8300));
        r.Cmd(C.Event(T.Int, 5, 4));
        Assert.True(r.Lpi(8300)!.IsPending);
        r.Cmd(C.Event(T.Discard, 5, 4));
        Assert.Null(r.Lpi(8300));
    }
}
