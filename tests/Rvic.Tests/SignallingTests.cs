using IrqBench.Machine.Costs;
using IrqBench.Rvic.Abi;

namespace IrqBench.Rvic.Tests;

/// <summary>How an instance drives its vCPU's HCR_EL2.VI and when other vCPUs are kicked (rvic.md §3.7), and where the
/// handlers run (§6.9).</summary>
public class SignallingTests
{
    private const uint Intid = 40;

    private static Rig Enabled(Organisation org = Organisation.Vhe)
    {
        var rig = new Rig(2, org);
        rig.Status(0, RvicFunctions.Enable);
        rig.Status(1, RvicFunctions.Enable);
        rig.Status(0, RvicFunctions.ClearMasked, rig.Mpidr(1), Intid);
        rig.Status(0, RvicFunctions.ClearMasked, rig.Mpidr(1), Intid + 1);
        return rig;
    }

    [Fact]
    public void A_remote_change_kicks_the_target_only_when_its_can_signal_output_changes()
    {
        var rig = Enabled();
        var kicks = rig.Vm.Metrics.Kicks;
        rig.Status(0, RvicFunctions.Signal, rig.Mpidr(1), Intid);
        Assert.Equal(1, kicks.Value);          // false -> true
        rig.Status(0, RvicFunctions.Signal, rig.Mpidr(1), Intid + 1);
        Assert.Equal(1, kicks.Value);          // already true
        rig.Status(0, RvicFunctions.ClearPending, rig.Mpidr(1), Intid);
        Assert.Equal(1, kicks.Value);          // still true
        rig.Status(0, RvicFunctions.SetMasked, rig.Mpidr(1), Intid + 1);
        Assert.Equal(2, kicks.Value);          // true -> false: the target must drop VI too
    }

    [Fact]
    public void A_remote_change_reaches_the_targets_vi_only_on_its_next_entry()
    {
        var rig = Enabled();
        rig.Status(0, RvicFunctions.Signal, rig.Mpidr(1), Intid);
        Assert.True(rig.Instance(1).CanSignal);
        Assert.False(rig.Controller.IrqLineAsserted(rig[1]));
        rig.Controller.OnGuestEntry(rig[1]);
        Assert.True(rig.Controller.IrqLineAsserted(rig[1]));
    }

    [Theory]
    [InlineData(Organisation.Vhe)]
    [InlineData(Organisation.Pkvm)]
    public void A_change_to_the_callers_own_instance_is_visible_in_vi_when_the_hypercall_returns(Organisation org)
    {
        var rig = Enabled(org);
        rig.Status(1, RvicFunctions.Signal, rig.Mpidr(1), Intid);
        Assert.True(rig.Controller.IrqLineAsserted(rig[1]));
        Assert.Equal(0, rig.Vm.Metrics.Kicks.Value);
        rig.Call(1, RvicFunctions.Acknowledge);
        Assert.False(rig.Controller.IrqLineAsserted(rig[1]));
    }

    [Theory]
    [InlineData(Organisation.Vhe, Placement.HostKernel)]
    [InlineData(Organisation.Nvhe, Placement.HostKernel)]
    [InlineData(Organisation.Pkvm, Placement.El2)]
    public void Handlers_run_at_el2_under_pkvm_and_in_the_host_kernel_otherwise(Organisation org, Placement expected)
    {
        var rig = new Rig(2, org);
        Assert.Equal(expected, rig.Vm.Router.FindHvc(RvicFunctions.Signal)!.Placement);
        Assert.Equal(expected, rig.Vm.Router.FindHvc(RvidFunctions.Map)!.Placement);
    }

    [Fact]
    public void Under_pkvm_the_untrusted_host_pays_a_hypercall_into_el2_to_assert_an_input()
    {
        (long Time, long HostCall) Assert0(Organisation org)
        {
            var rig = new Rig(2, org);
            var host = rig.Vm.Host(0);
            rig.Controller.AssertInput(host, 0); // unmapped: looked up and dropped
            return (host.Now, rig.Controller.Costs.PkvmHostCall);
        }
        var (pkvm, call) = Assert0(Organisation.Pkvm);
        var (vhe, none) = Assert0(Organisation.Vhe);
        Assert.Equal(0, none);
        Assert.True(call > 0);
        Assert.Equal(call, pkvm - vhe);
    }

    [Fact]
    public void Timer_expiry_pends_the_trusted_timer_intid()
    {
        var rig = Enabled();
        rig.Controller.OnVirtualTimerExpired(rig[0]);
        Assert.True(rig.Instance(0).IsPending((int)RvicConfig.TimerIntid));
        Assert.True(rig.Instance(0).IsTrusted((int)RvicConfig.TimerIntid));
    }

    [Fact]
    public void Acknowledge_records_one_delivery_with_the_latency_since_the_intid_became_pending()
    {
        var rig = Enabled();
        rig.Status(0, RvicFunctions.Signal, rig.Mpidr(1), Intid);
        long signalledAt = rig[0].Now; // the SIGNAL's handler ran just before the caller re-entered
        rig[1].IrqsMasked = true;
        rig.Vm.Run(); // the kick: vCPU1 exits and re-enters (no guest program: IRQs masked)
        var before = rig[1].Now;
        rig.Call(1, RvicFunctions.Acknowledge);
        Assert.Equal(1, rig.Vm.Metrics.IrqsDelivered.Value);
        long latency = rig.Vm.Metrics.IrqLatency.Samples[0];
        Assert.InRange(latency, Math.Max(0, before - signalledAt), rig[1].Now);
    }

    [Fact]
    public void Configuration_limits_follow_kvm_and_spec_rule_r0058()
    {
        Assert.Throws<ArgumentException>(() => new RvicConfig { NrTrusted = 16 }.Validated());
        Assert.Throws<ArgumentException>(() => new RvicConfig { NrTrusted = 48 }.Validated());
        Assert.Throws<ArgumentException>(() => new RvicConfig { NrTotal = 2080 }.Validated());
        Assert.Throws<ArgumentException>(() => new RvicConfig { NrTrusted = 64, NrTotal = 64 }.Validated()); // R0058
        Assert.Equal(2048, new RvicConfig { NrTotal = 2048 }.Validated().NrTotal);
    }
}
