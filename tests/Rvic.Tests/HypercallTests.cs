using IrqBench.Machine.Traps;
using IrqBench.Rvic.Abi;
using static IrqBench.Rvic.Abi.RvicReason;

namespace IrqBench.Rvic.Tests;

/// <summary>Each rVIC hypercall and each of its status codes, as rvic.md §2.2–§2.4 architect them.</summary>
public class HypercallTests
{
    private const uint Intid = 40, Ipi = 1;

    /// <summary>The calls that name a target instance by MPIDR (rvic.md §2.4).</summary>
    public static TheoryData<uint> CrossInstanceCalls =>
        [RvicFunctions.SetMasked, RvicFunctions.ClearMasked, RvicFunctions.IsPending, RvicFunctions.Signal, RvicFunctions.ClearPending];

    private static Rig Enabled(int vcpus = 2)
    {
        var rig = new Rig(vcpus);
        for (int i = 0; i < vcpus; i++) Assert.Equal(RvicStatus.Success, rig.Status(i, RvicFunctions.Enable));
        return rig;
    }

    [Fact]
    public void Status_word_has_the_reason_in_bits_7_0_and_the_argument_index_in_bits_15_8()
    {
        Assert.Equal(0x0101UL, RvicStatus.Parameter(1).Encode());
        Assert.Equal(0x0002UL, new RvicStatus(InvalidCpu).Encode());
        Assert.Equal(new RvicStatus(ErrorParameter, 2), RvicStatus.Decode(0x0201));
    }

    [Fact]
    public void Version_returns_success_and_0_3()
    {
        var (s, v) = new Rig().Call(0, RvicFunctions.Version);
        Assert.Equal(RvicStatus.Success, s);
        Assert.Equal(3UL, v);
    }

    [Fact]
    public void Info_returns_the_trusted_and_untrusted_counts()
    {
        var rig = new Rig(config: new RvicConfig { NrTrusted = 64, NrTotal = 160 });
        Assert.Equal((RvicStatus.Success, 64UL), rig.Call(0, RvicFunctions.Info, RvicAbi.InfoNrTrusted));
        Assert.Equal((RvicStatus.Success, 96UL), rig.Call(0, RvicFunctions.Info, RvicAbi.InfoNrUntrusted));
    }

    [Fact]
    public void Info_with_an_unknown_key_is_a_parameter_error_on_argument_0()
    {
        var (s, v) = new Rig().Call(0, RvicFunctions.Info, 2);
        Assert.Equal(Rig.Error(ErrorParameter, 0), s);
        Assert.Equal(0UL, v);
    }

    [Fact]
    public void Reset_state_is_disabled_with_every_intid_masked_and_not_pending()
    {
        var rig = new Rig();
        var inst = rig.Instance(1);
        Assert.False(inst.Enabled);
        for (int i = 0; i < inst.NrTotal; i++) { Assert.True(inst.IsMasked(i)); Assert.False(inst.IsPending(i)); }
        Assert.Equal(Rig.Error(Disabled), rig.Status(1, RvicFunctions.Acknowledge));
    }

    [Fact]
    public void Enable_and_disable_act_on_the_callers_own_instance()
    {
        var rig = new Rig();
        Assert.Equal(RvicStatus.Success, rig.Status(0, RvicFunctions.Enable));
        Assert.True(rig.Instance(0).Enabled);
        Assert.False(rig.Instance(1).Enabled);
        Assert.Equal(RvicStatus.Success, rig.Status(0, RvicFunctions.Disable));
        Assert.False(rig.Instance(0).Enabled);
    }

    [Fact]
    public void Disable_stops_the_output_and_enable_delivers_what_is_still_pending_and_unmasked()
    {
        var rig = Enabled();
        rig.Status(0, RvicFunctions.ClearMasked, rig.Mpidr(0), Intid);
        rig.Status(0, RvicFunctions.Signal, rig.Mpidr(0), Intid);
        rig.Status(0, RvicFunctions.Disable);
        Assert.False(rig.Controller.IrqLineAsserted(rig[0]));
        Assert.Equal(Rig.Error(Disabled), rig.Status(0, RvicFunctions.Acknowledge));
        rig.Status(0, RvicFunctions.Enable);
        Assert.True(rig.Controller.IrqLineAsserted(rig[0]));
        Assert.Equal((RvicStatus.Success, (ulong)Intid), rig.Call(0, RvicFunctions.Acknowledge));
    }

    [Fact]
    public void Set_masked_and_clear_masked_gate_delivery_of_a_pending_intid_on_another_instance()
    {
        var rig = Enabled();
        Assert.Equal(RvicStatus.Success, rig.Status(0, RvicFunctions.Signal, rig.Mpidr(1), Intid));
        Assert.False(rig.Instance(1).CanSignal);
        Assert.Equal(RvicStatus.Success, rig.Status(0, RvicFunctions.ClearMasked, rig.Mpidr(1), Intid));
        Assert.True(rig.Instance(1).CanSignal);
        Assert.Equal(RvicStatus.Success, rig.Status(0, RvicFunctions.SetMasked, rig.Mpidr(1), Intid));
        Assert.False(rig.Instance(1).CanSignal);
        Assert.True(rig.Instance(1).IsPending((int)Intid));
    }

    [Fact]
    public void Is_pending_returns_the_pending_bit_in_x1()
    {
        var rig = Enabled();
        Assert.Equal((RvicStatus.Success, 0UL), rig.Call(0, RvicFunctions.IsPending, rig.Mpidr(1), Intid));
        rig.Status(0, RvicFunctions.Signal, rig.Mpidr(1), Intid);
        Assert.Equal((RvicStatus.Success, 1UL), rig.Call(0, RvicFunctions.IsPending, rig.Mpidr(1), Intid));
    }

    [Fact]
    public void Signal_pends_trusted_and_untrusted_intids_alike()
    {
        var rig = Enabled();
        Assert.Equal(RvicStatus.Success, rig.Status(0, RvicFunctions.Signal, rig.Mpidr(1), Ipi));
        Assert.Equal(RvicStatus.Success, rig.Status(0, RvicFunctions.Signal, rig.Mpidr(1), Intid));
        Assert.True(rig.Instance(1).IsPending((int)Ipi));
        Assert.True(rig.Instance(1).IsPending((int)Intid));
    }

    [Fact]
    public void Signal_to_a_disabled_instance_returns_disabled_and_pends_nothing()
    {
        var rig = new Rig();
        Assert.Equal(Rig.Error(Disabled), rig.Status(0, RvicFunctions.Signal, rig.Mpidr(1), Ipi));
        Assert.False(rig.Instance(1).IsPending((int)Ipi));
    }

    [Fact]
    public void Clear_pending_withdraws_a_pending_intid()
    {
        var rig = Enabled();
        rig.Status(0, RvicFunctions.ClearMasked, rig.Mpidr(1), Intid);
        rig.Status(0, RvicFunctions.Signal, rig.Mpidr(1), Intid);
        Assert.Equal(RvicStatus.Success, rig.Status(0, RvicFunctions.ClearPending, rig.Mpidr(1), Intid));
        Assert.False(rig.Instance(1).IsPending((int)Intid));
        Assert.Equal(Rig.Error(NoInterrupts), rig.Status(1, RvicFunctions.Acknowledge));
    }

    [Theory, MemberData(nameof(CrossInstanceCalls))]
    public void Cross_instance_calls_report_an_unknown_mpidr_as_invalid_cpu_on_argument_0(uint fn)
    {
        var rig = Enabled();
        Assert.Equal(Rig.Error(InvalidCpu, 0), rig.Status(0, fn, Rig.UnknownMpidr, Intid));
        // The target is checked before the INTID.
        Assert.Equal(Rig.Error(InvalidCpu, 0), rig.Status(0, fn, Rig.UnknownMpidr, 5000));
    }

    [Theory, MemberData(nameof(CrossInstanceCalls))]
    public void Cross_instance_calls_reject_an_intid_at_or_beyond_nr_total_on_argument_1(uint fn)
    {
        var rig = Enabled();
        int total = rig.Config.NrTotal;
        Assert.Equal(Rig.Error(ErrorParameter, 1), rig.Status(0, fn, rig.Mpidr(1), (ulong)total));
        Assert.Equal(Rig.Error(ErrorParameter, 1), rig.Status(0, fn, rig.Mpidr(1), ulong.MaxValue));
        Assert.Equal(RvicStatus.Success, rig.Status(0, fn, rig.Mpidr(1), (ulong)total - 1));
    }

    [Fact]
    public void Acknowledge_returns_intids_in_the_order_they_became_deliverable_and_masks_them()
    {
        var rig = Enabled();
        foreach (uint i in new uint[] { 70, 3, 40 }) rig.Status(0, RvicFunctions.ClearMasked, rig.Mpidr(1), i);
        foreach (uint i in new uint[] { 70, 3, 40 }) rig.Status(0, RvicFunctions.Signal, rig.Mpidr(1), i);
        foreach (uint expected in new uint[] { 70, 3, 40 })
        {
            Assert.Equal((RvicStatus.Success, (ulong)expected), rig.Call(1, RvicFunctions.Acknowledge));
            Assert.True(rig.Instance(1).IsMasked((int)expected));
            Assert.False(rig.Instance(1).IsPending((int)expected));
        }
        Assert.Equal(3, rig.Vm.Metrics.IrqsDelivered.Value);
    }

    [Fact]
    public void Unmasking_a_pending_intid_queues_it_behind_those_already_deliverable()
    {
        var rig = Enabled();
        rig.Status(1, RvicFunctions.Signal, rig.Mpidr(1), 5);      // pending, masked
        rig.Status(1, RvicFunctions.ClearMasked, rig.Mpidr(1), 9);
        rig.Status(1, RvicFunctions.Signal, rig.Mpidr(1), 9);      // deliverable first
        rig.Status(1, RvicFunctions.ClearMasked, rig.Mpidr(1), 5); // deliverable second
        Assert.Equal(9UL, rig.Call(1, RvicFunctions.Acknowledge).X1);
        Assert.Equal(5UL, rig.Call(1, RvicFunctions.Acknowledge).X1);
    }

    [Fact]
    public void Acknowledge_with_nothing_deliverable_returns_no_interrupts_and_x1_0()
    {
        var rig = Enabled();
        rig.Status(0, RvicFunctions.Signal, rig.Mpidr(0), Intid); // pending but masked
        Assert.Equal((Rig.Error(NoInterrupts), 0UL), rig.Call(0, RvicFunctions.Acknowledge));
    }

    [Fact]
    public void Acknowledge_on_a_disabled_instance_returns_disabled_and_x1_0()
    {
        var (s, x1) = new Rig().Call(0, RvicFunctions.Acknowledge);
        Assert.Equal(Rig.Error(Disabled), s);
        Assert.Equal(0UL, x1);
    }

    [Fact]
    public void Resample_of_an_untrusted_intid_is_a_parameter_error_on_argument_0()
    {
        var rig = Enabled();
        Assert.Equal(Rig.Error(ErrorParameter, 0), rig.Status(0, RvicFunctions.Resample, (ulong)rig.Config.NrTrusted));
        Assert.Equal(RvicStatus.Success, rig.Status(0, RvicFunctions.Resample, (ulong)rig.Config.NrTrusted - 1));
    }

    [Fact]
    public void Resample_repends_the_timer_while_its_line_is_high_and_not_once_it_is_low()
    {
        var rig = Enabled();
        var cpu = rig[0];
        int timer = (int)RvicConfig.TimerIntid;
        cpu.IrqsMasked = true; // the timer's exit must not run a guest handler: there is no guest program
        cpu.Timer.SetDeadline(1000);
        rig.Vm.Run(2000);
        Assert.True(rig.Instance(0).IsPending(timer));
        rig.Status(0, RvicFunctions.ClearMasked, cpu.Mpidr.Value, RvicConfig.TimerIntid);
        Assert.Equal((ulong)timer, rig.Call(0, RvicFunctions.Acknowledge).X1);

        Assert.Equal(RvicStatus.Success, rig.Status(0, RvicFunctions.Resample, RvicConfig.TimerIntid));
        Assert.True(rig.Instance(0).IsPending(timer)); // level still high: pending again

        rig.Status(0, RvicFunctions.ClearPending, cpu.Mpidr.Value, RvicConfig.TimerIntid);
        cpu.Timer.Disable();
        Assert.Equal(RvicStatus.Success, rig.Status(0, RvicFunctions.Resample, RvicConfig.TimerIntid));
        Assert.False(rig.Instance(0).IsPending(timer));
    }

    [Fact]
    public void A_function_id_outside_both_ranges_is_not_supported()
    {
        var r = new Rig()[0].Hvc(new HvcArgs(RvicFunctions.Last + 1));
        Assert.Equal(Smccc.NotSupported, r.X0);
    }
}
