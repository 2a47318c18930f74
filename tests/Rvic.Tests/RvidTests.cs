using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Rvic.Abi;
using static IrqBench.Rvic.Abi.RvicReason;

namespace IrqBench.Rvic.Tests;

/// <summary>The rVID hypercalls and input routing (rvic.md §2.5, §4).</summary>
public class RvidTests
{
    private const uint Intid = 40;

    private static Rig EnabledWithIntidUnmasked(int cpu = 1)
    {
        var rig = new Rig();
        rig.Status(0, RvicFunctions.Enable);
        rig.Status(1, RvicFunctions.Enable);
        rig.Status(0, RvicFunctions.ClearMasked, rig.Mpidr(cpu), Intid);
        return rig;
    }

    [Fact]
    public void Version_returns_success_and_0_3()
    {
        Assert.Equal((RvicStatus.Success, 3UL), new Rig().Call(0, RvidFunctions.Version));
    }

    [Fact]
    public void Map_routes_an_input_to_the_chosen_vcpu_and_untrusted_intid()
    {
        var rig = EnabledWithIntidUnmasked();
        Assert.Equal(RvicStatus.Success, rig.Status(0, RvidFunctions.Map, 7, rig.Mpidr(1), Intid));
        rig.AssertInput(7);
        Assert.True(rig.Instance(1).IsPending((int)Intid));
        Assert.False(rig.Instance(0).IsPending((int)Intid));
    }

    [Fact]
    public void Map_overwrites_an_earlier_route()
    {
        var rig = EnabledWithIntidUnmasked();
        rig.Status(0, RvidFunctions.Map, 7, rig.Mpidr(1), Intid);
        rig.Status(0, RvidFunctions.Map, 7, rig.Mpidr(0), Intid + 1);
        rig.AssertInput(7);
        Assert.True(rig.Instance(0).IsPending((int)Intid + 1));
        Assert.False(rig.Instance(1).IsPending((int)Intid));
    }

    [Fact]
    public void Map_rejects_the_input_one_past_the_table_that_the_prototype_accepts()
    {
        var rig = new Rig();
        ulong nrUntrusted = (ulong)rig.Config.NrUntrusted;
        Assert.Equal(Rig.Error(ErrorParameter, 0), rig.Status(0, RvidFunctions.Map, nrUntrusted, rig.Mpidr(0), Intid));
        Assert.Equal(Rig.Error(ErrorParameter, 0), rig.Status(0, RvidFunctions.Map, ulong.MaxValue, rig.Mpidr(0), Intid));
        Assert.Equal(RvicStatus.Success, rig.Status(0, RvidFunctions.Map, nrUntrusted - 1, rig.Mpidr(0), Intid));
    }

    [Fact]
    public void Map_to_an_unknown_mpidr_is_a_parameter_error_on_argument_1_not_invalid_cpu()
    {
        var rig = new Rig();
        Assert.Equal(Rig.Error(ErrorParameter, 1), rig.Status(0, RvidFunctions.Map, 0, Rig.UnknownMpidr, Intid));
    }

    [Fact]
    public void Map_to_a_trusted_or_out_of_range_intid_is_a_parameter_error_on_argument_2()
    {
        var rig = new Rig();
        Assert.Equal(Rig.Error(ErrorParameter, 2), rig.Status(0, RvidFunctions.Map, 0, rig.Mpidr(0), RvicConfig.TimerIntid));
        Assert.Equal(Rig.Error(ErrorParameter, 2), rig.Status(0, RvidFunctions.Map, 0, rig.Mpidr(0), (ulong)rig.Config.NrTrusted - 1));
        Assert.Equal(Rig.Error(ErrorParameter, 2), rig.Status(0, RvidFunctions.Map, 0, rig.Mpidr(0), (ulong)rig.Config.NrTotal));
        Assert.Equal(RvicStatus.Success, rig.Status(0, RvidFunctions.Map, 0, rig.Mpidr(0), (ulong)rig.Config.NrTrusted));
    }

    [Fact]
    public void Map_checks_input_then_mpidr_then_intid()
    {
        var rig = new Rig();
        Assert.Equal(Rig.Error(ErrorParameter, 0), rig.Status(0, RvidFunctions.Map, 9999, Rig.UnknownMpidr, 0));
        Assert.Equal(Rig.Error(ErrorParameter, 1), rig.Status(0, RvidFunctions.Map, 0, Rig.UnknownMpidr, 0));
    }

    [Fact]
    public void Unmap_drops_later_assertions_of_the_input_and_counts_them()
    {
        var rig = EnabledWithIntidUnmasked();
        rig.Status(0, RvidFunctions.Map, 7, rig.Mpidr(1), Intid);
        Assert.Equal(RvicStatus.Success, rig.Status(0, RvidFunctions.Unmap, 7));
        rig.AssertInput(7);
        Assert.False(rig.Instance(1).IsPending((int)Intid));
        Assert.Equal(1, rig.Vm.Metrics.Get("rvid_inputs_dropped").Value);
    }

    [Fact]
    public void Unmap_of_an_input_out_of_range_is_a_parameter_error_on_argument_0()
    {
        var rig = new Rig();
        Assert.Equal(Rig.Error(ErrorParameter, 0), rig.Status(0, RvidFunctions.Unmap, (ulong)rig.Config.NrUntrusted));
    }

    [Fact]
    public void An_input_that_was_never_mapped_or_is_out_of_range_is_dropped_and_counted()
    {
        var rig = EnabledWithIntidUnmasked();
        rig.AssertInput(3);
        rig.AssertInput(ulong.MaxValue);
        Assert.Equal(2, rig.Vm.Metrics.Get("rvid_inputs_dropped").Value);
        Assert.False(rig.Instance(0).CanSignal || rig.Instance(1).CanSignal);
    }

    [Fact]
    public void An_msi_to_the_doorbell_asserts_the_input_named_by_its_data()
    {
        var rig = EnabledWithIntidUnmasked();
        uint input = (uint)rig.Config.MsiBase + 3;
        rig.Status(0, RvidFunctions.Map, input, rig.Mpidr(1), Intid);
        rig.Controller.SignalMsi(rig.Vm.Host(0), new DeviceId(2), new MsiMessage(RvicConfig.MsiDoorbell, input));
        Assert.True(rig.Instance(1).IsPending((int)Intid));
        Assert.Equal(1, rig.Vm.Metrics.MsisSignalled.Value);
    }

    [Fact]
    public void An_msi_elsewhere_than_the_doorbell_or_outside_the_msi_window_is_dropped()
    {
        var rig = EnabledWithIntidUnmasked();
        rig.Status(0, RvidFunctions.Map, 0, rig.Mpidr(1), Intid);                        // a wired input
        rig.Status(0, RvidFunctions.Map, (ulong)rig.Config.MsiBase, rig.Mpidr(1), Intid);
        rig.Controller.SignalMsi(rig.Vm.Host(0), new DeviceId(2), new MsiMessage(RvicConfig.MsiDoorbell, 0));
        rig.Controller.SignalMsi(rig.Vm.Host(0), new DeviceId(2), new MsiMessage(RvicConfig.MsiDoorbell + 4, (uint)rig.Config.MsiBase));
        Assert.False(rig.Instance(1).IsPending((int)Intid));
        Assert.Equal(2, rig.Vm.Metrics.Get("rvid_inputs_dropped").Value);
    }

    [Fact]
    public void An_input_asserted_into_a_disabled_instance_is_latched_until_enable()
    {
        var rig = new Rig();
        rig.Status(0, RvidFunctions.Map, 7, rig.Mpidr(1), Intid);
        rig.Status(0, RvicFunctions.ClearMasked, rig.Mpidr(1), Intid);
        rig.AssertInput(7);
        Assert.True(rig.Instance(1).IsPending((int)Intid));
        Assert.False(rig.Instance(1).CanSignal);
        rig.Status(1, RvicFunctions.Enable);
        Assert.Equal((RvicStatus.Success, (ulong)Intid), rig.Call(1, RvicFunctions.Acknowledge));
    }
}
