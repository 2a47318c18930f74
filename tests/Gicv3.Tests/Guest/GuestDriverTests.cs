using IrqBench.Gicv3.CpuInterface;
using IrqBench.Gicv3.Guest;
using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Vcpus;
using D = IrqBench.Gicv3.Registers.Gicd;
using R = IrqBench.Gicv3.Registers.Gicr;
using static IrqBench.Gicv3.Tests.Guest.DriverRig;

namespace IrqBench.Gicv3.Tests.Guest;

/// <summary>The Linux irq-gic-v3 driver model on the emulated GICv3: what its accesses leave behind, and what its
/// IPIs, IRQ entry and device interrupts cost.</summary>
public class GuestDriverTests
{
    [Fact]
    public void Boot_enables_the_distributor_routes_SPIs_to_the_boot_CPU_and_sets_up_every_CPU_interface()
    {
        var r = new Rig(vcpus: 3);
        r.Run();
        var v = r.Gic.Vgic;
        Assert.True(v.Dist.Enabled);
        Assert.All(v.Dist.Spis, s => { Assert.Same(v.Cpus[0], s.TargetVcpu); Assert.False(s.Enabled); Assert.Equal(0xA0, s.Priority); Assert.True(s.Level); });
        foreach (var c in v.Cpus)
        {
            Assert.Equal(Gicv3GuestDriver.DefaultPmr, c.Cpuif.Pmr);
            Assert.True(c.Cpuif.GetGroupEnable(1));
            Assert.False(c.Cpuif.EoiModeSplit); // EOImode 0 in a guest
            Assert.All(c.Private.Take(Gicv3GuestDriver.IpiCount), i => Assert.True(i.Enabled));
            Assert.True(c.Private[27].Enabled);
            Assert.All(c.Private, i => Assert.Equal(0xA0, i.Priority));
        }
        Assert.Equal(0, r.Vm.Metrics.MmioUnclaimed.Value);
        Assert.True(r.Vm.Metrics.HaltAll.Value >= 1); // Linux deactivates every SPI through ICACTIVER at boot
    }

    [Fact]
    public void An_IPI_is_one_trapped_SGI1R_write_per_affinity_cluster()
    {
        var r = new Rig(vcpus: 20);
        long sysregBefore = 0;
        r.Guests[0].Steps.Enqueue(c =>
        {
            sysregBefore = r.Vm.Metrics.ExitsSysreg.Value;
            r.Chip.SendIpi(c, IpiKind.Reschedule, [new VcpuId(18), new VcpuId(1), new VcpuId(17), new VcpuId(2)]);
            Assert.Equal(sysregBefore + 2, r.Vm.Metrics.ExitsSysreg.Value);
        });
        r.Run();
        Assert.Equal([1, 2, 17, 18], r.Handlers.Log.Where(l => l.What == "ipi:Reschedule").Select(l => l.Cpu).Order());
        Assert.Equal(4, r.Vm.Metrics.IpisSent.Value);
        Assert.Equal(4, r.Vm.Metrics.IrqsDelivered.Value);
        Assert.Equal(4, r.Vm.Metrics.IrqLatency.Count);
    }

    [Fact]
    public void Taking_an_IPI_is_an_acknowledge_and_an_EOI_with_no_exit_beyond_the_kick()
    {
        var r = new Rig(vcpus: 2);
        long exits1 = 0;
        r.Guests[0].Gap = 200_000;
        r.Guests[0].Steps.Enqueue(_ => { }); // let boot's stop-the-world exits settle
        r.Guests[0].Steps.Enqueue(c => { exits1 = r.Vm.Metrics.ExitsKick.Value; r.Chip.SendIpi(c, IpiKind.CallFunction, [new VcpuId(1)]); });
        r.Guests[0].Steps.Enqueue(c =>
        {
            Assert.Contains((1, "ipi:CallFunction"), r.Handlers.Log);
            Assert.Equal(exits1 + 1, r.Vm.Metrics.ExitsKick.Value);
            Assert.Equal(0, r.Vm.Metrics.ExitsMaintenance.Value);
        });
        r.Run();
        Assert.False(r.Gic.Vgic.Cpus[1].Private[1].Active);
    }

    [Fact]
    public void The_virtual_timer_is_handled_through_PPI_27()
    {
        var r = new Rig(vcpus: 2);
        r.Guests[1].Steps.Enqueue(c => c.Timer.SetDeadline(c.Now + 30_000));
        r.Run();
        Assert.Contains((1, "timer"), r.Handlers.Log);
        Assert.Equal(1, r.Vm.Metrics.ExitsTimer.Value);
    }

    [Fact]
    public void A_device_MSI_through_GICv2m_follows_affinity_and_masking()
    {
        var r = new Rig(vcpus: 2, new Gicv3Config { HasIts = false });
        DeviceIrq? irq = null;
        var g = r.Guests[0];
        g.Gap = 50_000;
        g.Steps.Enqueue(c =>
        {
            irq = r.Chip.SetupDeviceIrq(c, new DeviceId(7), 0, new VcpuId(1));
            Assert.Equal(r.Gic.Config.V2mBase + 0x40, irq.Msi.Address);
            Assert.Equal((uint)r.Gic.Config.V2mFirstSpi, irq.Msi.Data);
            r.Gic.SignalMsi(r.Vm.Host(c.Now + 1000), irq.Device, irq.Msi);
        });
        g.Steps.Enqueue(c =>
        {
            Assert.Equal([(1, "dev:7")], r.Handlers.Log);
            r.Chip.SetAffinity(c, irq!, new VcpuId(0));
            r.Gic.SignalMsi(r.Vm.Host(c.Now + 1000), irq!.Device, irq.Msi);
        });
        // KVM: after the first MSI the SPI stays on vCPU1's ap_list until vCPU1 exits (a pending one would move to its
        // new target only then); vCPU1 exits regularly here, with a GICD read standing in for its timer tick.
        r.Guests[1].Gap = 30_000;
        for (int i = 0; i < 20; i++) r.Guests[1].Steps.Enqueue(c => c.MmioRead(r.Gic.Config.DistributorBase + D.Typer, 4));
        g.Steps.Enqueue(c =>
        {
            Assert.Equal((0, "dev:7"), r.Handlers.Log[^1]);
            r.Chip.MaskDeviceIrq(c, irq!);
            r.Gic.SignalMsi(r.Vm.Host(c.Now + 1000), irq!.Device, irq.Msi);
        });
        g.Steps.Enqueue(c =>
        {
            Assert.Equal(2, r.Handlers.Log.Count); // masked: stays pending
            Assert.True(r.Gic.Vgic.GetIrq(null, irq!.ChipIrq)!.IsPending);
            r.Chip.UnmaskDeviceIrq(c, irq);
        });
        r.Run();
        Assert.Equal(3, r.Handlers.Log.Count);
        Assert.Equal(3, r.Vm.Metrics.MsisSignalled.Value);
        Assert.False(r.Gic.Vgic.GetIrq(null, irq!.ChipIrq)!.Level); // set to edge by the driver
    }

    [Fact]
    public void A_device_MSI_through_the_ITS_follows_affinity_and_masking()
    {
        var r = new Rig(vcpus: 2);
        DeviceIrq? irq = null;
        var g = r.Guests[0];
        g.Gap = 50_000;
        long exits = 0;
        // vCPU1 exits regularly (a GICD read standing in for its tick), which is when KVM moves an LPI it still
        // holds on its ap_list to a new target
        r.Guests[1].Gap = 30_000;
        for (int i = 0; i < 20; i++) r.Guests[1].Steps.Enqueue(c => c.MmioRead(r.Gic.Config.DistributorBase + D.Typer, 4));
        // vCPU1 brings up its redistributor and CPU interface only once vCPU0 has booted: give it that time.
        for (int i = 0; i < 4; i++) g.Steps.Enqueue(_ => { });
        g.Steps.Enqueue(c =>
        {
            exits = r.Vm.Metrics.ExitsMmio.Value;
            irq = r.Chip.SetupDeviceIrq(c, new DeviceId(7), 3, new VcpuId(1));
            // MAPD (queue check, CWRITER, CREADR), MAPTI + SYNC and INV + SYNC (two queue checks, CWRITER, CREADR each)
            Assert.Equal(exits + 3 + 4 + 4, r.Vm.Metrics.ExitsMmio.Value);
            Assert.Equal(r.Gic.Config.ItsBase + 0x1_0040, irq.Msi.Address);
            Assert.Equal(3u, irq.Msi.Data);
            Assert.True(irq.ChipIrq >= 8192);
            r.Gic.SignalMsi(r.Vm.Host(c.Now + 1000), irq.Device, irq.Msi);
        });
        g.Steps.Enqueue(c =>
        {
            Assert.Equal([(1, "dev:7")], r.Handlers.Log);
            r.Chip.SetAffinity(c, irq!, new VcpuId(0)); // MOVI
            r.Gic.SignalMsi(r.Vm.Host(c.Now + 1000), irq!.Device, irq.Msi);
        });
        g.Steps.Enqueue(c =>
        {
            Assert.Equal((0, "dev:7"), r.Handlers.Log[^1]);
            r.Chip.MaskDeviceIrq(c, irq!); // property write + INV
            r.Gic.SignalMsi(r.Vm.Host(c.Now + 1000), irq!.Device, irq.Msi);
        });
        g.Steps.Enqueue(c =>
        {
            Assert.Equal(2, r.Handlers.Log.Count);
            r.Chip.UnmaskDeviceIrq(c, irq!);
        });
        r.Run();
        Assert.Equal(3, r.Handlers.Log.Count);
        Assert.Equal(2, r.Gic.Its!.CacheHits.Value + r.Gic.Its.CacheMisses.Value - 1); // three translations
    }

    [Fact]
    public void An_MSI_to_an_address_that_is_not_the_doorbell_goes_nowhere()
    {
        var r = new Rig(vcpus: 2, new Gicv3Config { HasIts = false });
        r.Guests[0].Steps.Enqueue(c =>
        {
            var irq = r.Chip.SetupDeviceIrq(c, new DeviceId(1), 0, new VcpuId(1));
            r.Gic.SignalMsi(r.Vm.Host(c.Now), irq.Device, irq.Msi with { Address = 0x1234 });
            r.Gic.SignalMsi(r.Vm.Host(c.Now), irq.Device, irq.Msi with { Data = 5 }); // not a GICv2m SPI
        });
        r.Run();
        Assert.Empty(r.Handlers.Log);
    }
}
