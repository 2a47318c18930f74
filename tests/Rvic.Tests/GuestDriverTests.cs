using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Vcpus;
using IrqBench.Rvic.Abi;
using IrqBench.Rvic.Guest;

namespace IrqBench.Rvic.Tests;

/// <summary>The model of Linux's irq-rvic / irq-rvid drivers (rvic.md §5): the hypercalls each operation issues.</summary>
public class GuestDriverTests
{
    private static long Hvcs(Rig rig) => rig.Vm.Metrics.ExitsHvc.Value;

    [Fact]
    public void Bring_up_disables_masks_and_clears_every_intid_enables_then_unmasks_only_ipis_and_the_timer()
    {
        var rig = new Rig();
        var chip = new RvicGuestChip(rig.Vm, rig.Config);
        chip.InitBootCpu(rig[0]);
        Assert.Equal(4, Hvcs(rig)); // VERSION, rVID VERSION, INFO(0), INFO(1)
        rig.Status(1, RvicFunctions.ClearMasked, rig.Mpidr(1), 50); // stale state from before the bring-up
        rig.Status(1, RvicFunctions.Enable);
        rig.Status(1, RvicFunctions.Signal, rig.Mpidr(1), 50);
        long before = Hvcs(rig);
        chip.InitCpu(rig[1]);
        Assert.Equal(1 + 2 * rig.Config.NrTotal + 1 + 17, Hvcs(rig) - before);
        var inst = rig.Instance(1);
        Assert.True(inst.Enabled);
        for (int i = 0; i < inst.NrTotal; i++)
        {
            bool unmasked = i < RvicConfig.IpiCount || i == RvicConfig.TimerIntid;
            Assert.Equal(!unmasked, inst.IsMasked(i));
            Assert.False(inst.IsPending(i));
        }
    }

    [Fact]
    public void An_ipi_is_one_signal_per_target_and_costs_the_receiver_acknowledge_then_clear_masked_before_the_handler()
    {
        var rig = new Rig(4);
        var chip = rig.BootGuest();
        long before = Hvcs(rig);
        chip.SendIpi(rig[0], IpiKind.Reschedule, [new VcpuId(1), new VcpuId(3)]);
        Assert.Equal(2, Hvcs(rig) - before);
        Assert.Equal(2, rig.Vm.Metrics.IpisSent.Value);
        Assert.True(rig.Instance(1).IsPending(0) && rig.Instance(3).IsPending(0));

        var h = new Handlers();
        before = Hvcs(rig);
        chip.HandleIrq(rig[3], h);
        Assert.Equal(2, Hvcs(rig) - before); // ACKNOWLEDGE, CLEAR_MASKED
        Assert.Equal(["vcpu3 ipi Reschedule"], h.Seen);
        Assert.False(rig.Instance(3).IsMasked(0)); // EOIed: ready for the next one
    }

    [Fact]
    public void One_acknowledge_per_exception_so_a_second_pending_ipi_needs_a_second_exception()
    {
        var rig = new Rig();
        var chip = rig.BootGuest();
        chip.SendIpi(rig[0], IpiKind.Reschedule, [new VcpuId(1)]);
        chip.SendIpi(rig[0], IpiKind.CallFunction, [new VcpuId(1)]);
        var h = new Handlers();
        chip.HandleIrq(rig[1], h);
        Assert.Equal(["vcpu1 ipi Reschedule"], h.Seen);
        Assert.True(rig.Instance(1).CanSignal);
        chip.HandleIrq(rig[1], h);
        Assert.Equal(["vcpu1 ipi Reschedule", "vcpu1 ipi CallFunction"], h.Seen);
    }

    [Fact]
    public void No_interrupts_at_acknowledge_is_a_spurious_interrupt()
    {
        var rig = new Rig();
        var chip = rig.BootGuest();
        var h = new Handlers();
        chip.HandleIrq(rig[1], h);
        Assert.Empty(h.Seen);
        Assert.Equal(1, rig.Vm.Metrics.SpuriousIrqs.Value);
    }

    [Fact]
    public void The_timer_is_eoied_with_resample_then_clear_masked()
    {
        var rig = new Rig();
        var chip = rig.BootGuest();
        rig.Controller.OnVirtualTimerExpired(rig[0]);
        var h = new Handlers();
        long before = Hvcs(rig);
        chip.HandleIrq(rig[0], h);
        Assert.Equal(3, Hvcs(rig) - before); // ACKNOWLEDGE, RESAMPLE, CLEAR_MASKED
        Assert.Equal(["vcpu0 timer"], h.Seen);
        Assert.False(rig.Instance(0).IsPending((int)RvicConfig.TimerIntid)); // the handler disabled the timer: low
        Assert.False(rig.Instance(0).IsMasked((int)RvicConfig.TimerIntid));
    }

    [Fact]
    public void A_device_irq_is_an_msi_to_the_doorbell_whose_data_is_an_rvid_input_in_the_msi_window()
    {
        var rig = new Rig();
        var chip = rig.BootGuest();
        var irq = chip.SetupDeviceIrq(rig[0], new DeviceId(2), 20, new VcpuId(1));
        Assert.Equal(RvicConfig.MsiDoorbell, irq.Msi.Address);
        Assert.InRange((int)irq.Msi.Data, rig.Config.MsiBase, rig.Config.NrUntrusted - 1);
        Assert.Equal(new VcpuId(1), irq.Affinity);

        rig.Controller.SignalMsi(rig.Vm.Host(0), irq.Device, irq.Msi);
        var h = new Handlers();
        long before = Hvcs(rig);
        chip.HandleIrq(rig[1], h);
        Assert.Equal(2, Hvcs(rig) - before); // ACKNOWLEDGE, CLEAR_MASKED on the affinity CPU
        Assert.Equal(["vcpu1 device 2"], h.Seen);
        var second = chip.SetupDeviceIrq(rig[0], new DeviceId(3), 0, new VcpuId(0));
        Assert.NotEqual(irq.Msi.Data, second.Msi.Data);
        Assert.NotEqual((uint)irq.ChipData!, (uint)second.ChipData!);
    }

    [Theory]
    [InlineData(false, false, 5)]
    [InlineData(false, true, 7)]
    [InlineData(true, false, 3)]
    public void Affinity_change_costs_three_to_seven_hypercalls(bool masked, bool pending, int expected)
    {
        var (rig, chip, irq) = DeviceOn(0);
        if (masked) chip.MaskDeviceIrq(rig[0], irq);
        if (pending) rig.Controller.SignalMsi(rig.Vm.Host(0), irq.Device, irq.Msi);
        long before = Hvcs(rig);
        chip.SetAffinity(rig[0], irq, new VcpuId(1));
        Assert.Equal(expected, Hvcs(rig) - before);
    }

    [Fact]
    public void Affinity_change_moves_a_pending_interrupt_without_loss_or_duplication()
    {
        var (rig, chip, irq) = DeviceOn(0);
        int intid = (int)(uint)irq.ChipData!;
        rig.Controller.SignalMsi(rig.Vm.Host(0), irq.Device, irq.Msi); // pending on vCPU0, not yet taken
        chip.SetAffinity(rig[0], irq, new VcpuId(1));

        Assert.False(rig.Instance(0).IsPending(intid));
        Assert.True(rig.Instance(0).IsMasked(intid)); // the old copy is left masked
        Assert.True(rig.Instance(1).IsPending(intid));
        Assert.False(rig.Instance(1).IsMasked(intid));

        var h = new Handlers();
        chip.HandleIrq(rig[0], h);
        chip.HandleIrq(rig[1], h);
        chip.HandleIrq(rig[1], h);
        Assert.Equal(["vcpu1 device 2"], h.Seen);
        Assert.Equal(2, rig.Vm.Metrics.SpuriousIrqs.Value);

        rig.Controller.SignalMsi(rig.Vm.Host(0), irq.Device, irq.Msi); // later MSIs follow the new route
        Assert.True(rig.Instance(1).CanSignal);
        Assert.False(rig.Instance(0).CanSignal);
    }

    [Fact]
    public void Affinity_change_of_a_masked_interrupt_keeps_it_masked_and_pending_on_the_new_cpu()
    {
        var (rig, chip, irq) = DeviceOn(0);
        int intid = (int)(uint)irq.ChipData!;
        chip.MaskDeviceIrq(rig[0], irq);
        rig.Controller.SignalMsi(rig.Vm.Host(0), irq.Device, irq.Msi);
        chip.SetAffinity(rig[0], irq, new VcpuId(1));
        Assert.True(rig.Instance(1).IsPending(intid) && rig.Instance(1).IsMasked(intid));
        Assert.False(rig.Instance(0).IsPending(intid));
        chip.UnmaskDeviceIrq(rig[0], irq);
        Assert.True(rig.Instance(1).CanSignal);
    }

    [Fact]
    public void Mask_and_unmask_of_a_device_irq_are_set_masked_and_clear_masked_on_its_cpu()
    {
        var (rig, chip, irq) = DeviceOn(1);
        int intid = (int)(uint)irq.ChipData!;
        chip.MaskDeviceIrq(rig[0], irq);
        Assert.True(rig.Instance(1).IsMasked(intid));
        chip.UnmaskDeviceIrq(rig[0], irq);
        Assert.False(rig.Instance(1).IsMasked(intid));
    }

    private static (Rig, RvicGuestChip, DeviceIrq) DeviceOn(int cpu)
    {
        var rig = new Rig();
        var chip = rig.BootGuest();
        var irq = chip.SetupDeviceIrq(rig[0], new DeviceId(2), 0, new VcpuId(cpu));
        return (rig, chip, irq);
    }
}
