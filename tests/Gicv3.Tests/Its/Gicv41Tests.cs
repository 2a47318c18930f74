using IrqBench.Gicv3.CpuInterface;
using IrqBench.Gicv3.Registers;
using C = IrqBench.Gicv3.Its.ItsCommand;
using T = IrqBench.Gicv3.Its.ItsCommandType;

namespace IrqBench.Gicv3.Tests.Its;

/// <summary>GICv4.1: vLPIs and vSGIs delivered by the hardware from the vPE's pending table.</summary>
public class Gicv41Tests
{
    private static ItsRig Rig(bool wfi = false, bool? trapWfi = null) => new(config: new Gicv3Config { Gicv41 = true, TrapWfi = trapWfi }, wfi: wfi);

    [Fact]
    public void A_forwarded_vLPI_reaches_a_running_vCPU_with_no_exit_and_no_host_software()
    {
        var r = Rig();
        r.Map(5, 3, 8300, 1);
        long exits = 0;
        r.Host.At(5_000_000, _ => exits = r.Vm.Metrics.ExitsTotal); // after boot's stop-the-world exits
        r.Msi(6_000_000, 5, 3);
        r.Run();
        Assert.Equal([8300u], r.AcksOn(1));
        Assert.Equal(exits, r.Vm.Metrics.ExitsTotal);
        Assert.Equal(0, r.Its.CacheMisses.Value); // the physical ITS translated it
        Assert.False(r.Lpi(8300)!.DirectPending);
    }

    [Fact]
    public void A_vLPI_for_a_halted_vCPU_rings_its_doorbell_and_wakes_it()
    {
        var r = Rig(wfi: true, trapWfi: true); // kvm-arm.wfi_trap_policy=trap: the idle vCPU halts in the host
        r.Map(5, 3, 8300, 1);
        r.Msi(5_000_000, 5, 3);
        r.Run();
        Assert.Equal([8300u], r.AcksOn(1));
        Assert.Equal(1, r.Gic.Vgic.V4Doorbells.Value);
        Assert.True(r.Vm.Metrics.Wakeups.Value >= 1);
    }

    [Fact]
    public void With_vSGIs_KVM_clears_TWI_and_an_idle_vCPU_waits_in_the_guest_where_the_vLPI_reaches_it_without_an_exit()
    {
        // kvm_vcpu_should_clear_twi: single task on the pCPU and nASSGIreq set, so WFI does not trap.
        var r = Rig(wfi: true);
        r.Map(5, 3, 8300, 1);
        r.Msi(5_000_000, 5, 3);
        r.Run();
        Assert.Equal([8300u], r.AcksOn(1));
        Assert.Equal(0, r.Vm.Metrics.ExitsWfi.Value);
        Assert.Equal(0, r.Gic.Vgic.V4Doorbells.Value);
        Assert.True(r.Vm.Metrics.Get("wfi_untrapped").Value > 0);
        Assert.True(r.Vm.Metrics.IdleCycles.Value > 0, "a vCPU waiting in the guest's WFI is idle");
    }

    [Fact]
    public void The_emulated_GICv3_always_traps_WFI()
    {
        var r = new ItsRig(config: new Gicv3Config(), wfi: true);
        r.Map(5, 3, 8300, 1);
        r.Msi(5_000_000, 5, 3);
        r.Run();
        Assert.Equal([8300u], r.AcksOn(1));
        Assert.True(r.Vm.Metrics.ExitsWfi.Value > 0);
        Assert.Equal(0, r.Vm.Metrics.Get("wfi_untrapped").Value);
    }

    [Fact]
    public void A_disabled_vLPI_stays_in_the_pending_table_until_INV_enables_it()
    {
        var r = Rig();
        r.Map(5, 3, 8300, 1);
        r.SetProperty(8300, IrqBench.Gicv3.Guest.ItsGuestDriver.PropDefault);
        r.Cmd(C.Event(T.Inv, 5, 3));
        r.Msi(1000, 5, 3);
        r.Guests[0].StepGap = 100_000;
        r.Guests[0].Steps.Enqueue(_ => { });
        r.Guests[0].Steps.Enqueue(c =>
        {
            Assert.Empty(r.Acks);
            Assert.True(r.Lpi(8300)!.DirectPending);
            r.SetProperty(8300, IrqBench.Gicv3.Guest.ItsGuestDriver.PropDefault | IrqBench.Gicv3.Guest.ItsGuestDriver.PropEnabled);
            r.Cmd(C.Event(T.Inv, 5, 3));
        });
        r.Run();
        Assert.Equal([8300u], r.AcksOn(1));
    }

    [Fact]
    public void MOVI_moves_a_pending_vLPI_to_the_new_vPE_and_CLEAR_removes_it()
    {
        var r = Rig();
        r.Map(5, 3, 8300, 0);
        r.Map(5, 4, 8301, 0);
        r.Cpu0.SysregWrite(IccSysRegs.Igrpen1, 0);
        r.Cmd(C.Event(T.Int, 5, 3));
        r.Cmd(C.Event(T.Int, 5, 4));
        r.Cmd(C.Movi(5, 3, 1));
        r.Cmd(C.Event(T.Clear, 5, 4));
        Assert.False(r.Lpi(8301)!.DirectPending);
        r.Run();
        Assert.Equal([8300u], r.AcksOn(1));
        Assert.Empty(r.AcksOn(0));
    }

    [Fact]
    public void With_nASSGIreq_an_SGI_is_a_vSGI_the_receiver_takes_with_no_exit()
    {
        var r = Rig();
        Assert.Equal(Gicd.CtlrNassgiReq, r.Cpu0.MmioRead(r.Gic.Config.DistributorBase + Gicd.Ctlr, 4) & Gicd.CtlrNassgiReq);
        Assert.True(r.Gic.Vgic.Cpus[1].Private[1].DirectInjection);
        long exits = 0;
        r.Guests[0].StepGap = 5_000_000;
        r.Guests[0].Steps.Enqueue(_ => { }); // let boot's stop-the-world exits settle
        r.Guests[0].Steps.Enqueue(c =>
        {
            exits = r.Vm.Metrics.ExitsTotal;
            c.SysregWrite(IccSysRegs.Sgi1r, 1UL << 24 | 0b10);
        });
        r.Run();
        Assert.Equal([1u], r.AcksOn(1));
        Assert.Equal(exits + 1, r.Vm.Metrics.ExitsTotal); // the sender's trap only
    }

    [Fact]
    public void Clearing_nASSGIreq_moves_pending_vSGIs_back_into_the_software_latch()
    {
        // vgic_v4_disable_vsgis copies the hardware pending state into pending_latch without queueing (the guest has
        // the distributor disabled at that moment), so the SGI is delivered with the next one sent (merged).
        var r = Rig();
        r.Vm.Vcpus[1].SysregWrite(IccSysRegs.Igrpen1, 0);
        r.Cpu0.SysregWrite(IccSysRegs.Sgi1r, 2UL << 24 | 0b10);
        Assert.True(r.Gic.Vgic.Cpus[1].Private[2].DirectPending);
        ulong ctlr = r.Gic.Config.DistributorBase + Gicd.Ctlr;
        r.Cpu0.MmioWrite(ctlr, 4, 0);
        r.Cpu0.MmioWrite(ctlr, 4, Gicd.CtlrEnableGrp1);
        var sgi = r.Gic.Vgic.Cpus[1].Private[2];
        Assert.False(sgi.DirectInjection);
        Assert.True(sgi.PendingLatch);
        Assert.False(sgi.DirectPending);
        r.Guests[1].Steps.Enqueue(c => c.SysregWrite(IccSysRegs.Igrpen1, 1));
        r.Guests[0].Steps.Enqueue(c => c.SysregWrite(IccSysRegs.Sgi1r, 2UL << 24 | 0b10));
        r.Run();
        Assert.Equal([2u], r.AcksOn(1));
        Assert.Equal(0, r.Gic.Vgic.V4Doorbells.Value);
    }

    [Fact]
    public void The_gicv3_model_offers_no_vSGIs()
    {
        var r = new ItsRig();
        Assert.Equal(0UL, r.Cpu0.MmioRead(r.Gic.Config.DistributorBase + Gicd.Typer2, 4));
        Assert.False(r.Gic.Vgic.Cpus[1].Private[1].DirectInjection);
    }
}
