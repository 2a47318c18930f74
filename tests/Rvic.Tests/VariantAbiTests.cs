using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Traps;
using IrqBench.Rvic.Abi;
using IrqBench.Rvic.Hypervisor;
using IrqBench.Rvic.Instance;
using IrqBench.Rvic.Variants;
using static IrqBench.Rvic.Abi.RvicReason;

namespace IrqBench.Rvic.Tests;

/// <summary>Each call the variants add, and each changed call, with its status codes, as rvic.md §12–§15 specify.</summary>
public class VariantAbiTests
{
    private const uint A = 40, B = 41, C = 42;

    private static Rig Enabled(RvicVariant v, int vcpus = 2, Organisation org = Organisation.Vhe)
    {
        var rig = new Rig(vcpus, org, variant: v);
        for (int i = 0; i < vcpus; i++) Assert.Equal(RvicStatus.Success, rig.Status(i, RvicFunctions.Enable));
        return rig;
    }

    private static void Unmask(Rig rig, int cpu, params uint[] intids)
    {
        foreach (var i in intids) Assert.Equal(RvicStatus.Success, rig.Status(cpu, RvicFunctions.ClearMasked, rig.Mpidr(cpu), i));
    }

    private static (RvicStatus, ulong) Ack(Rig rig, int cpu) => rig.Call(cpu, RvicFunctions.Acknowledge);
    private static (RvicStatus, ulong) Acked(ulong intid) => (RvicStatus.Success, intid);
    private static readonly (RvicStatus, ulong) NoInterrupts = (Rig.Error(RvicReason.NoInterrupts), 0);

    [Fact]
    public void Every_variant_function_id_lies_outside_the_base_abi_range_and_the_ranges_are_disjoint()
    {
        var tables = RvicVariant.All.SelectMany(v => new Rig(variant: v).Controller.Registrations)
            .Where(r => r.Functions is not null).DistinctBy(r => r.Name).Select(r => r.Functions!).ToList();
        Assert.Equal(["rvic", "rvid", "rvic-prio", "rvid-level", "rvid-msi", "rvic-fused"], tables.Select(t => t.Name));
        foreach (var t in tables.Skip(2))
            Assert.True(t.First > RvicFunctions.Last, $"{t.Name} starts at 0x{t.First:X8}, inside the base ABI's 0xC5000100-0xC500020A");
        for (int i = 0; i < tables.Count; i++)
            for (int j = i + 1; j < tables.Count; j++)
                Assert.True(tables[i].Last < tables[j].First || tables[j].Last < tables[i].First, $"{tables[i].Name} overlaps {tables[j].Name}");
    }

    [Theory]
    [InlineData(RvicPrioFunctions.Eoi)]
    [InlineData(RvidLevelFunctions.Resample)]
    [InlineData(RvidMsiFunctions.Info)]
    [InlineData(RvicFusedFunctions.CompleteAcknowledge)]
    public void The_base_rvic_does_not_serve_a_variant_call(uint fn)
    {
        var r = new Rig().Vm.Vcpus[0].Hvc(new HvcArgs(fn, 40));
        Assert.Equal(Smccc.NotSupported, r.X0);
    }

    // ---- rvic-prio (rvic.md §12) ------------------------------------------------------------------------------------

    [Fact]
    public void Set_priority_checks_the_target_then_the_intid_then_the_priority()
    {
        var rig = Enabled(RvicVariant.Prio);
        Assert.Equal(Rig.Error(InvalidCpu), rig.Status(0, RvicPrioFunctions.SetPriority, Rig.UnknownMpidr, 999, 999));
        Assert.Equal(Rig.Error(ErrorParameter, 1), rig.Status(0, RvicPrioFunctions.SetPriority, rig.Mpidr(1), 128, 999));
        Assert.Equal(Rig.Error(ErrorParameter, 2), rig.Status(0, RvicPrioFunctions.SetPriority, rig.Mpidr(1), A, 256));
        Assert.Equal((int)RvicPrioFunctions.DefaultPriority, rig.Prio(1).PriorityOf((int)A));
        Assert.Equal(RvicStatus.Success, rig.Status(0, RvicPrioFunctions.SetPriority, rig.Mpidr(1), A, 0x20));
        Assert.Equal(0x20, rig.Prio(1).PriorityOf((int)A));
        Assert.Equal((int)RvicPrioFunctions.DefaultPriority, rig.Prio(0).PriorityOf((int)A));
    }

    [Fact]
    public void Set_priority_mask_returns_the_previous_mask_and_rejects_a_mask_above_255_on_argument_0()
    {
        var rig = Enabled(RvicVariant.Prio);
        Assert.Equal((Rig.Error(ErrorParameter, 0), 0UL), rig.Call(0, RvicPrioFunctions.SetPriorityMask, 0x100));
        Assert.Equal((RvicStatus.Success, (ulong)RvicPrioFunctions.ResetMask), rig.Call(0, RvicPrioFunctions.SetPriorityMask, 0x60));
        Assert.Equal((RvicStatus.Success, 0x60UL), rig.Call(0, RvicPrioFunctions.SetPriorityMask, 0xE0));
        Assert.Equal(0xE0, rig.Prio(0).PriorityMask);
        Assert.Equal((int)RvicPrioFunctions.ResetMask, rig.Prio(1).PriorityMask);
    }

    [Fact]
    public void Acknowledge_takes_the_highest_priority_first_and_fifo_among_equals()
    {
        var rig = Enabled(RvicVariant.Prio);
        Unmask(rig, 0, A, B, C);
        rig.Status(0, RvicPrioFunctions.SetPriority, rig.Mpidr(0), B, 0x20);
        rig.Status(0, RvicPrioFunctions.SetPriority, rig.Mpidr(0), C, 0x20);
        foreach (var i in new[] { A, C, B }) rig.Status(0, RvicFunctions.Signal, rig.Mpidr(0), i);
        Assert.Equal(Acked(C), Ack(rig, 0));
        Assert.Equal(RvicStatus.Success, rig.Status(0, RvicPrioFunctions.Eoi, C));
        Assert.Equal(Acked(B), Ack(rig, 0));
        Assert.Equal(RvicStatus.Success, rig.Status(0, RvicPrioFunctions.Eoi, B));
        Assert.Equal(Acked(A), Ack(rig, 0));
    }

    [Fact]
    public void Acknowledge_makes_the_intid_active_not_masked_and_raises_the_running_priority_until_its_eoi()
    {
        var rig = Enabled(RvicVariant.Prio);
        Unmask(rig, 0, A, B);
        rig.Status(0, RvicFunctions.Signal, rig.Mpidr(0), A);
        rig.Status(0, RvicFunctions.Signal, rig.Mpidr(0), B);
        Assert.Equal(Acked(A), Ack(rig, 0));
        var inst = rig.Prio(0);
        Assert.True(inst.IsActive((int)A) && !inst.IsMasked((int)A) && !inst.IsPending((int)A));
        Assert.Equal((int)RvicPrioFunctions.DefaultPriority, inst.RunningPriority);
        // B has A's priority: not above the running priority, so held until A's EOI, and VI says so.
        Assert.Equal(NoInterrupts, Ack(rig, 0));
        Assert.False(rig.Controller.IrqLineAsserted(rig[0]));
        Assert.Equal(RvicStatus.Success, rig.Status(0, RvicPrioFunctions.Eoi, A));
        Assert.Equal(PriorityInstance.Idle, inst.RunningPriority);
        Assert.True(rig.Controller.IrqLineAsserted(rig[0]));
        Assert.Equal(Acked(B), Ack(rig, 0));
    }

    [Fact]
    public void An_intid_signalled_again_while_active_is_delivered_once_more_only_after_its_eoi()
    {
        var rig = Enabled(RvicVariant.Prio);
        Unmask(rig, 0, A);
        rig.Status(0, RvicFunctions.Signal, rig.Mpidr(0), A);
        Assert.Equal(Acked(A), Ack(rig, 0));
        rig.Status(0, RvicFunctions.Signal, rig.Mpidr(0), A);
        Assert.Equal(NoInterrupts, Ack(rig, 0));
        rig.Status(0, RvicPrioFunctions.Eoi, A);
        Assert.Equal(Acked(A), Ack(rig, 0));
    }

    [Fact]
    public void A_higher_priority_interrupt_preempts_an_active_one_and_the_running_priority_drops_back_on_each_eoi()
    {
        var rig = Enabled(RvicVariant.Prio);
        Unmask(rig, 0, A, B);
        rig.Status(0, RvicPrioFunctions.SetPriority, rig.Mpidr(0), B, 0x20);
        rig.Status(0, RvicFunctions.Signal, rig.Mpidr(0), A);
        Assert.Equal(Acked(A), Ack(rig, 0));
        rig.Status(0, RvicFunctions.Signal, rig.Mpidr(0), B);
        Assert.True(rig.Controller.IrqLineAsserted(rig[0]));
        Assert.Equal(Acked(B), Ack(rig, 0));
        Assert.Equal(0x20, rig.Prio(0).RunningPriority);
        rig.Status(0, RvicPrioFunctions.Eoi, B);
        Assert.Equal(0xA0, rig.Prio(0).RunningPriority);
        rig.Status(0, RvicPrioFunctions.Eoi, A);
        Assert.Equal(PriorityInstance.Idle, rig.Prio(0).RunningPriority);
    }

    [Fact]
    public void The_priority_mask_holds_back_priorities_not_below_it_but_lets_an_nmi_priority_through()
    {
        var rig = Enabled(RvicVariant.Prio);
        Unmask(rig, 0, A, B);
        rig.Status(0, RvicPrioFunctions.SetPriority, rig.Mpidr(0), B, RvicPrioFunctions.NmiPriority);
        rig.Status(0, RvicPrioFunctions.SetPriorityMask, RvicPrioFunctions.MaskIrqOff);
        rig.Status(0, RvicFunctions.Signal, rig.Mpidr(0), A);
        Assert.False(rig.Controller.IrqLineAsserted(rig[0]));
        Assert.Equal(NoInterrupts, Ack(rig, 0));
        rig.Status(0, RvicFunctions.Signal, rig.Mpidr(0), B);
        Assert.True(rig.Controller.IrqLineAsserted(rig[0]));
        Assert.Equal(Acked(B), Ack(rig, 0));
        rig.Status(0, RvicPrioFunctions.Eoi, B);
        rig.Status(0, RvicPrioFunctions.SetPriorityMask, RvicPrioFunctions.MaskIrqOn);
        Assert.Equal(Acked(A), Ack(rig, 0));
    }

    [Fact]
    public void Eoi_of_an_intid_out_of_range_or_not_active_is_a_parameter_error_on_argument_0_and_changes_nothing()
    {
        var rig = Enabled(RvicVariant.Prio);
        Unmask(rig, 0, A);
        rig.Status(0, RvicFunctions.Signal, rig.Mpidr(0), A);
        Assert.Equal(Acked(A), Ack(rig, 0));
        Assert.Equal(Rig.Error(ErrorParameter, 0), rig.Status(0, RvicPrioFunctions.Eoi, 128));
        Assert.Equal(Rig.Error(ErrorParameter, 0), rig.Status(0, RvicPrioFunctions.Eoi, B));
        Assert.Equal(Rig.Error(ErrorParameter, 0), rig.Status(1, RvicPrioFunctions.Eoi, A)); // active on vCPU0, not vCPU1
        Assert.True(rig.Prio(0).IsActive((int)A));
    }

    [Fact]
    public void A_remote_set_priority_that_makes_an_interrupt_deliverable_kicks_the_target()
    {
        var rig = Enabled(RvicVariant.Prio);
        Unmask(rig, 1, A);
        rig.Status(1, RvicPrioFunctions.SetPriority, rig.Mpidr(1), A, 0xFF); // never below any mask
        rig.Status(1, RvicFunctions.Signal, rig.Mpidr(1), A);
        Assert.False(rig.Instance(1).CanSignal);
        long kicks = rig.Vm.Metrics.Kicks.Value;
        rig.Status(0, RvicPrioFunctions.SetPriority, rig.Mpidr(1), A, 0x80);
        Assert.True(rig.Instance(1).CanSignal);
        Assert.Equal(kicks + 1, rig.Vm.Metrics.Kicks.Value);
    }

    // ---- rvic-level (rvic.md §13) -----------------------------------------------------------------------------------

    private static Rig LevelRig(uint input, int cpu, uint intid)
    {
        var rig = Enabled(RvicVariant.Level);
        Assert.Equal(RvicStatus.Success, rig.Status(0, RvidFunctions.Map, input, rig.Mpidr(cpu), intid));
        Unmask(rig, cpu, intid);
        return rig;
    }

    [Fact]
    public void Rvid_resample_of_an_input_out_of_range_is_a_parameter_error_on_argument_0()
    {
        var rig = Enabled(RvicVariant.Level);
        Assert.Equal(Rig.Error(ErrorParameter, 0), rig.Status(0, RvidLevelFunctions.Resample, (ulong)rig.Config.NrUntrusted));
        Assert.Equal(Rig.Error(ErrorParameter, 0), rig.Status(0, RvidLevelFunctions.Resample, ulong.MaxValue));
    }

    [Fact]
    public void A_high_line_pends_the_mapped_intid_and_rvid_resample_pends_it_again_while_the_line_stays_high()
    {
        var rig = LevelRig(3, 1, A);
        Assert.True(rig.SetInputLevel(3, true));
        Assert.True(rig.Instance(1).IsPending((int)A));
        Assert.Equal(Acked(A), Ack(rig, 1));
        Assert.Equal(RvicStatus.Success, rig.Status(1, RvidLevelFunctions.Resample, 3));
        Assert.True(rig.Instance(1).IsPending((int)A));
        Unmask(rig, 1, A);
        Assert.Equal(Acked(A), Ack(rig, 1));
        rig.SetInputLevel(3, false);
        Assert.Equal(RvicStatus.Success, rig.Status(1, RvidLevelFunctions.Resample, 3));
        Assert.False(rig.Instance(1).IsPending((int)A));
    }

    [Fact]
    public void A_low_line_is_only_recorded_and_pends_nothing()
    {
        var rig = LevelRig(3, 1, A);
        Assert.True(rig.SetInputLevel(3, false));
        Assert.False(rig.Instance(1).IsPending((int)A));
    }

    [Fact]
    public void Rvid_resample_pends_on_the_vcpu_the_input_is_mapped_to_and_kicks_it()
    {
        var rig = LevelRig(3, 1, A);
        rig.SetInputLevel(3, true);
        Assert.Equal(Acked(A), Ack(rig, 1));
        long kicks = rig.Vm.Metrics.Kicks.Value;
        rig.Status(1, RvicFunctions.ClearMasked, rig.Mpidr(1), A);
        Assert.Equal(RvicStatus.Success, rig.Status(0, RvidLevelFunctions.Resample, 3));
        Assert.True(rig.Instance(1).IsPending((int)A));
        Assert.Equal(kicks + 1, rig.Vm.Metrics.Kicks.Value);
    }

    [Fact]
    public void Rvid_resample_of_an_unmapped_input_succeeds_and_pends_nothing()
    {
        var rig = Enabled(RvicVariant.Level);
        rig.SetInputLevel(5, true); // dropped: nothing mapped, but the line is recorded
        Assert.Equal(RvicStatus.Success, rig.Status(0, RvidLevelFunctions.Resample, 5));
        for (int v = 0; v < 2; v++) Assert.False(rig.Instance(v).CanSignal);
    }

    [Fact]
    public void A_level_on_an_input_out_of_range_is_dropped_and_counted()
    {
        var rig = Enabled(RvicVariant.Level);
        Assert.False(rig.SetInputLevel((ulong)rig.Config.NrUntrusted, true));
        Assert.Equal(1, rig.Vm.Metrics.Get("rvid_inputs_dropped").Value);
    }

    [Fact]
    public void The_base_rvid_has_no_line_and_its_resample_refuses_untrusted_intids()
    {
        var rig = new Rig();
        rig.Status(0, RvicFunctions.Enable);
        rig.Status(0, RvidFunctions.Map, 3, rig.Mpidr(0), A);
        Assert.False(rig.SetInputLevel(3, true)); // no such host call: nothing pends
        Assert.False(rig.Instance(0).IsPending((int)A));
        Assert.Equal(Rig.Error(ErrorParameter, 0), rig.Status(0, RvicFunctions.Resample, A));
    }

    // ---- rvic-msi (rvic.md §14) -------------------------------------------------------------------------------------

    [Fact]
    public void Rvid_msi_info_returns_the_frame_address_first_input_and_count_and_rejects_other_keys()
    {
        var rig = new Rig(variant: RvicVariant.Msi);
        Assert.Equal((RvicStatus.Success, MsiFrameExtension.FrameBase), rig.Call(0, RvidMsiFunctions.Info, 0));
        Assert.Equal((RvicStatus.Success, (ulong)rig.Config.MsiBase), rig.Call(0, RvidMsiFunctions.Info, 1));
        Assert.Equal((RvicStatus.Success, (ulong)rig.Config.MsiCount), rig.Call(0, RvidMsiFunctions.Info, 2));
        Assert.Equal((Rig.Error(ErrorParameter, 0), 0UL), rig.Call(0, RvidMsiFunctions.Info, 3));
    }

    private static ulong SetInput => MsiFrameExtension.FrameBase + MsiFrameExtension.SetInputOffset;

    [Fact]
    public void A_guest_write_to_setinput_asserts_that_input_and_kicks_its_target()
    {
        var rig = Enabled(RvicVariant.Msi);
        rig.Status(0, RvidFunctions.Map, 40, rig.Mpidr(1), A);
        Unmask(rig, 1, A);
        long kicks = rig.Vm.Metrics.Kicks.Value;
        rig[0].MmioWrite(SetInput, 4, 40);
        Assert.True(rig.Instance(1).IsPending((int)A));
        Assert.Equal(kicks + 1, rig.Vm.Metrics.Kicks.Value);
        Assert.Equal(1, rig.Vm.Metrics.ExitsMmio.Value);
    }

    [Fact]
    public void The_frame_ignores_other_offsets_and_widths_and_drops_data_outside_the_msi_window()
    {
        var rig = Enabled(RvicVariant.Msi);
        rig.Status(0, RvidFunctions.Map, 3, rig.Mpidr(1), A); // a wired input, below the window
        rig.Status(0, RvidFunctions.Map, 40, rig.Mpidr(1), B);
        Unmask(rig, 1, A, B);
        rig[0].MmioWrite(MsiFrameExtension.FrameBase, 4, 40);
        rig[0].MmioWrite(SetInput, 8, 40);
        rig[0].MmioWrite(SetInput, 4, 3);
        Assert.False(rig.Instance(1).CanSignal);
        Assert.Equal(0UL, rig[0].MmioRead(SetInput, 4));
        Assert.Equal(1, rig.Vm.Metrics.Get("rvid_inputs_dropped").Value);
    }

    [Fact]
    public void The_frame_replaces_the_prototypes_0xBA5E0000_doorbell_for_vmm_msis()
    {
        var rig = Enabled(RvicVariant.Msi);
        rig.Status(0, RvidFunctions.Map, 40, rig.Mpidr(1), A);
        Unmask(rig, 1, A);
        rig.Controller.SignalMsi(rig.Vm.Host(0), new DeviceId(1), new MsiMessage(RvicConfig.MsiDoorbell, 40));
        Assert.False(rig.Instance(1).IsPending((int)A));
        rig.Controller.SignalMsi(rig.Vm.Host(0), new DeviceId(1), new MsiMessage(SetInput, 40));
        Assert.True(rig.Instance(1).IsPending((int)A));
    }

    [Theory]
    [InlineData(Organisation.Vhe)]
    [InlineData(Organisation.Nvhe)]
    [InlineData(Organisation.Pkvm)]
    public void The_frames_data_abort_is_handled_in_the_host_kernel_under_every_organisation(Organisation org)
    {
        var rig = new Rig(org: org, variant: RvicVariant.Msi);
        Assert.Equal(Placement.HostKernel, rig.Vm.Router.FindMmio(SetInput)!.Placement);
    }

    // ---- rvic-fused, IrqBench's own design (rvic.md §15) -------------------------------------------------------------

    [Fact]
    public void Complete_acknowledge_unmasks_the_completed_intid_and_acknowledges_the_next()
    {
        var rig = Enabled(RvicVariant.Fused);
        Unmask(rig, 0, A, B);
        rig.Status(0, RvicFunctions.Signal, rig.Mpidr(0), A);
        rig.Status(0, RvicFunctions.Signal, rig.Mpidr(0), B);
        Assert.Equal(Acked(A), Ack(rig, 0));
        Assert.Equal(Acked(B), rig.Call(0, RvicFusedFunctions.CompleteAcknowledge, A));
        Assert.False(rig.Instance(0).IsMasked((int)A));
        Assert.True(rig.Instance(0).IsMasked((int)B) && !rig.Instance(0).IsPending((int)B));
        Assert.Equal(2, rig.Vm.Metrics.IrqsDelivered.Value);
    }

    [Fact]
    public void Complete_acknowledge_with_nothing_left_unmasks_and_answers_no_interrupts_with_x1_0()
    {
        var rig = Enabled(RvicVariant.Fused);
        Unmask(rig, 0, A);
        rig.Status(0, RvicFunctions.Signal, rig.Mpidr(0), A);
        Ack(rig, 0);
        Assert.Equal(NoInterrupts, rig.Call(0, RvicFusedFunctions.CompleteAcknowledge, A));
        Assert.False(rig.Instance(0).IsMasked((int)A));
        Assert.False(rig.Controller.IrqLineAsserted(rig[0]));
    }

    [Fact]
    public void Complete_acknowledge_on_a_disabled_instance_unmasks_and_answers_disabled()
    {
        var rig = new Rig(variant: RvicVariant.Fused);
        Assert.Equal((Rig.Error(RvicReason.Disabled), 0UL), rig.Call(0, RvicFusedFunctions.CompleteAcknowledge, A));
        Assert.False(rig.Instance(0).IsMasked((int)A));
    }

    [Fact]
    public void Complete_acknowledge_of_an_intid_out_of_range_is_a_parameter_error_on_argument_0_and_acknowledges_nothing()
    {
        var rig = Enabled(RvicVariant.Fused);
        Unmask(rig, 0, A);
        rig.Status(0, RvicFunctions.Signal, rig.Mpidr(0), A);
        Assert.Equal((Rig.Error(ErrorParameter, 0), 0UL), rig.Call(0, RvicFusedFunctions.CompleteAcknowledge, 128));
        Assert.True(rig.Instance(0).IsPending((int)A));
    }

    [Fact]
    public void Complete_acknowledge_acts_on_the_callers_own_instance_only()
    {
        var rig = Enabled(RvicVariant.Fused);
        Unmask(rig, 1, A);
        rig.Status(1, RvicFunctions.Signal, rig.Mpidr(1), A);
        Assert.Equal(NoInterrupts, rig.Call(0, RvicFusedFunctions.CompleteAcknowledge, B));
        Assert.True(rig.Instance(1).IsPending((int)A));
        Assert.False(rig.Instance(0).IsMasked((int)B));
        Assert.True(rig.Instance(1).IsMasked((int)B));
    }
}
