using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Vcpus;
using static IrqBench.Gicv3.Tests.Guest.DriverRig;
using R = IrqBench.Gicv3.Registers.Gicr;

namespace IrqBench.Gicv3.Tests.Trust;

/// <summary>
/// The untrusted host against a guest running Linux's irq-gic-v3 on KVM's vgic. Under pKVM the trusted EL2 only
/// restores the list registers the host's vgic computed, so every attack through the vgic's own state changes what
/// the guest observes: interrupts nobody sent, interrupts that never arrive, or arrive elsewhere.
/// </summary>
public class HostAttackTests
{
    private static IHostAttackSurface Surface(Rig r) => Gicv3Kit.Kit.HostSurface!(r.Gic, r.Vm.Profile.Organisation);

    private static Rig Pkvm(int vcpus, Gicv3Config? config = null)
    {
        var r = new Rig(vcpus, config, "pkvm");
        Assert.Equal(Organisation.Pkvm, r.Vm.Profile.Organisation);
        return r;
    }

    private static HostContext Host(Rig r, Vcpu c) => r.Vm.Host(c.Now);

    [Theory]
    [InlineData("pkvm")]
    [InlineData("altra-vhe")]
    [InlineData("seattle-nvhe")]
    public void The_host_makes_the_guest_take_an_IPI_that_no_vCPU_sent(string profile)
    {
        var r = new Rig(2, profile: profile);
        var g0 = r.Guests[0];
        g0.Gap = 300_000;
        g0.Steps.Enqueue(_ => { });
        g0.Steps.Enqueue(c => Assert.True(Surface(r).InjectIpi(Host(r, c), r.Vm.Vcpus[1], (int)IpiKind.Reschedule)));
        r.Run();
        Assert.Contains((1, "ipi:Reschedule"), r.Handlers.Log);
        Assert.Equal(0, r.Vm.Metrics.IpisSent.Value);
    }

    [Fact]
    public void Under_pkvm_the_host_fires_a_virtual_timer_the_guest_never_armed()
    {
        var r = Pkvm(2);
        r.Guests[0].Gap = 300_000;
        r.Guests[0].Steps.Enqueue(_ => { });
        r.Guests[0].Steps.Enqueue(c => Assert.True(Surface(r).FireTimer(Host(r, c), r.Vm.Vcpus[1])));
        r.Run();
        Assert.Contains((1, "timer"), r.Handlers.Log);
        Assert.Equal(0, r.Vm.Metrics.ExitsTimer.Value); // no timer expired
    }

    [Fact]
    public void Under_pkvm_the_host_masks_an_IPI_the_guest_enabled_and_the_guest_never_receives_it()
    {
        var r = Pkvm(2);
        var g0 = r.Guests[0];
        g0.Gap = 300_000;
        g0.Steps.Enqueue(_ => { });
        g0.Steps.Enqueue(c => Assert.True(Surface(r).SetTrustedMask(Host(r, c), r.Vm.Vcpus[1], (int)IpiKind.CallFunction, masked: true)));
        g0.Steps.Enqueue(c => r.Chip.SendIpi(c, IpiKind.CallFunction, [new VcpuId(1)]));
        r.Run();
        Assert.DoesNotContain((1, "ipi:CallFunction"), r.Handlers.Log);
        Assert.Equal(1, r.Vm.Metrics.IpisSent.Value);
        Assert.True(r.Gic.Vgic.Cpus[1].Private[(int)IpiKind.CallFunction].IsPending); // sent, held by the host's mask
    }

    [Fact]
    public void Under_pkvm_the_host_unmasks_the_timer_the_guest_masked_and_the_guest_takes_it()
    {
        var r = Pkvm(2);
        var g1 = r.Guests[1];
        g1.Gap = 300_000;
        g1.Steps.Enqueue(c =>
        {
            c.MmioWrite(TestVm.Sgi(r.Gic, 1, R.ICEnableR0), 4, 1u << 27); // the guest masks its timer PPI...
            c.Timer.SetDeadline(c.Now + 50_000);                          // ...and arms the timer
        });
        g1.Steps.Enqueue(c =>
        {
            Assert.DoesNotContain((1, "timer"), r.Handlers.Log); // expired, but masked
            Assert.True(Surface(r).SetTrustedMask(Host(r, c), c, 27, masked: false));
        });
        r.Run();
        Assert.Contains((1, "timer"), r.Handlers.Log);
        Assert.Empty(g1.Steps);
    }

    /// <summary>vCPU0 sends CallFunction to vCPU1, which has PSTATE.I set for a while: the IPI waits in vCPU1's list
    /// register; then the host acts.</summary>
    private static Rig HeldIpi(Action<Rig, Vcpu> attack)
    {
        var r = Pkvm(3);
        var g1 = r.Guests[1];
        g1.Gap = 1_000_000;
        g1.Steps.Enqueue(c => c.IrqsMasked = true);
        g1.Steps.Enqueue(c => c.IrqsMasked = false);
        var g0 = r.Guests[0];
        g0.Gap = 200_000;
        g0.Steps.Enqueue(_ => { });
        g0.Steps.Enqueue(c => r.Chip.SendIpi(c, IpiKind.CallFunction, [new VcpuId(1)]));
        g0.Steps.Enqueue(c =>
        {
            var held = r.Gic.Vgic.Cpus[1].Private[(int)IpiKind.CallFunction];
            Assert.True(r.Vm.Vcpus[1].IrqsMasked);
            Assert.True(held.OnLr); // in vCPU1's list register, not taken yet
            Assert.Empty(r.Handlers.Log);
            attack(r, c);
        });
        r.Run();
        Assert.Empty(g0.Steps);
        Assert.Empty(g1.Steps);
        return r;
    }

    [Fact]
    public void Under_pkvm_the_host_moves_an_IPI_already_signalled_to_one_vCPU_over_to_another()
    {
        var r = HeldIpi((r, c) => Assert.True(Surface(r).Retarget(Host(r, c), r.Vm.Vcpus[1], r.Vm.Vcpus[2], (int)IpiKind.CallFunction)));
        Assert.Equal([(2, "ipi:CallFunction")], r.Handlers.Log);
    }

    [Fact]
    public void Under_pkvm_the_host_drops_an_IPI_already_signalled_before_the_guest_takes_it()
    {
        var r = HeldIpi((r, c) => Assert.True(Surface(r).Drop(Host(r, c), r.Vm.Vcpus[1], (int)IpiKind.CallFunction)));
        Assert.Empty(r.Handlers.Log);
        Assert.Equal(1, r.Vm.Metrics.IpisSent.Value);
    }

    [Fact]
    public void Without_the_host_the_held_IPI_is_taken_by_its_target_once_it_unmasks()
    {
        var r = HeldIpi((_, _) => { });
        Assert.Equal([(1, "ipi:CallFunction")], r.Handlers.Log);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Under_pkvm_the_host_reroutes_a_device_interrupt_the_guest_routed_elsewhere(bool its)
    {
        var r = Pkvm(3, new Gicv3Config { HasIts = its });
        DeviceIrq? irq = null;
        var g = r.Guests[0];
        g.Gap = 50_000;
        for (int i = 0; i < 4; i++) g.Steps.Enqueue(_ => { }); // the other vCPUs bring up their redistributors
        g.Steps.Enqueue(c =>
        {
            irq = r.Chip.SetupDeviceIrq(c, new DeviceId(7), 3, new VcpuId(1));
            r.Gic.SignalMsi(r.Vm.Host(c.Now + 1000), irq.Device, irq.Msi);
        });
        g.Steps.Enqueue(c =>
        {
            Assert.Equal([(1, "dev:7")], r.Handlers.Log);
            Assert.True(Surface(r).ChangeRouting(Host(r, c), irq!, r.Vm.Vcpus[2]));
            r.Gic.SignalMsi(r.Vm.Host(c.Now + 1000), irq!.Device, irq.Msi);
        });
        r.Run();
        Assert.Equal([(1, "dev:7"), (2, "dev:7")], r.Handlers.Log);
        Assert.Equal(new VcpuId(1), irq!.Affinity); // the guest still believes it routed it to vCPU1
    }
}
