using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Vcpus;
using IrqBench.Rvic.Guest;
using IrqBench.Rvic.Hypervisor;
using IrqBench.Rvic.Variants;

namespace IrqBench.Rvic.Tests;

/// <summary>
/// The untrusted host's attacks (rvic.md §16.1) against a booted guest, judged by what the guest's IRQ handlers then
/// see: under vhe and nvhe the host kernel holds the instances and the rVID, so every attack goes through; under pkvm
/// they live at EL2 and the host's calls into EL2 cannot do any of it. Every variant is attacked.
/// </summary>
public class HostAttackTests
{
    public static TheoryData<Organisation, string> Cases()
    {
        var d = new TheoryData<Organisation, string>();
        foreach (var org in new[] { Organisation.Vhe, Organisation.Nvhe, Organisation.Pkvm })
            foreach (var v in RvicVariant.All) d.Add(org, v.Name);
        return d;
    }

    private sealed class Setup
    {
        public Setup(Organisation org, string variant)
        {
            Rig = new Rig(3, org, variant: Rig.VariantNamed(variant));
            Chip = Rig.BootGuest();
            Surface = (IHostAttackSurface)RvicKit.All.Single(k => k.Name == variant).HostSurface!(Rig.Controller, org);
            Works = org != Organisation.Pkvm;
        }

        public Rig Rig { get; }
        public RvicGuestChip Chip { get; }
        public IHostAttackSurface Surface { get; }
        /// <summary>What the design's trust model says: the host holds the state except under pkvm.</summary>
        public bool Works { get; }
        public HostContext Host => Rig.Vm.Host(0);

        /// <summary>What each vCPU's IRQ entries then take, until it has nothing left.</summary>
        public List<string> Drain()
        {
            var h = new Handlers();
            foreach (var v in Rig.Vm.Vcpus)
                for (int n = 0; n < 8 && Rig.Instance(v.Id.Value).CanSignal; n++) Chip.HandleIrq(v, h);
            return h.Seen;
        }
    }

    [Theory, MemberData(nameof(Cases))]
    public void Inject_ipi_makes_an_ipi_nobody_sent_arrive_unless_the_state_is_at_el2(Organisation org, string variant)
    {
        var s = new Setup(org, variant);
        Assert.Equal(s.Works, s.Surface.InjectIpi(s.Host, s.Rig[1], (int)IpiKind.Reschedule));
        Assert.Equal(s.Works ? ["vcpu1 ipi Reschedule"] : [], s.Drain());
    }

    [Theory, MemberData(nameof(Cases))]
    public void Fire_timer_makes_a_timer_interrupt_arrive_that_the_timer_did_not_raise_unless_the_state_is_at_el2(Organisation org, string variant)
    {
        var s = new Setup(org, variant);
        Assert.Equal(s.Works, s.Surface.FireTimer(s.Host, s.Rig[2]));
        Assert.Equal(s.Works ? ["vcpu2 timer"] : [], s.Drain());
    }

    [Theory, MemberData(nameof(Cases))]
    public void Masking_a_trusted_intid_holds_back_the_guests_own_ipi_unless_the_state_is_at_el2(Organisation org, string variant)
    {
        var s = new Setup(org, variant);
        Assert.Equal(s.Works, s.Surface.SetTrustedMask(s.Host, s.Rig[1], (int)IpiKind.CallFunction, true));
        s.Chip.SendIpi(s.Rig[0], IpiKind.CallFunction, [new VcpuId(1)]);
        Assert.Equal(s.Works ? [] : ["vcpu1 ipi CallFunction"], s.Drain());
    }

    [Theory, MemberData(nameof(Cases))]
    public void Unmasking_a_trusted_intid_the_guest_left_masked_delivers_it_unless_the_state_is_at_el2(Organisation org, string variant)
    {
        var s = new Setup(org, variant);
        const int unused = 20; // trusted, never unmasked by the guest: a source pending there must stay silent
        s.Rig.Controller.Inject(s.Rig[1], s.Rig[1], unused);
        Assert.Equal(s.Works, s.Surface.SetTrustedMask(s.Host, s.Rig[1], unused, false));
        Assert.Equal(s.Works, s.Rig.Instance(1).CanSignal);
    }

    [Theory, MemberData(nameof(Cases))]
    public void Retarget_moves_a_signalled_ipi_to_another_vcpu_unless_the_state_is_at_el2(Organisation org, string variant)
    {
        var s = new Setup(org, variant);
        s.Chip.SendIpi(s.Rig[0], IpiKind.Reschedule, [new VcpuId(1)]);
        Assert.Equal(s.Works, s.Surface.Retarget(s.Host, s.Rig[1], s.Rig[2], (int)IpiKind.Reschedule));
        Assert.Equal(s.Works ? ["vcpu2 ipi Reschedule"] : ["vcpu1 ipi Reschedule"], s.Drain());
    }

    [Theory, MemberData(nameof(Cases))]
    public void Drop_removes_a_signalled_ipi_before_the_guest_takes_it_unless_the_state_is_at_el2(Organisation org, string variant)
    {
        var s = new Setup(org, variant);
        s.Chip.SendIpi(s.Rig[0], IpiKind.Reschedule, [new VcpuId(1)]);
        Assert.Equal(s.Works, s.Surface.Drop(s.Host, s.Rig[1], (int)IpiKind.Reschedule));
        Assert.Equal(s.Works ? [] : ["vcpu1 ipi Reschedule"], s.Drain());
    }

    [Theory, MemberData(nameof(Cases))]
    public void Change_routing_delivers_a_device_interrupt_to_a_vcpu_the_guest_did_not_choose_unless_the_state_is_at_el2(Organisation org, string variant)
    {
        var s = new Setup(org, variant);
        var irq = s.Chip.SetupDeviceIrq(s.Rig[0], new DeviceId(7), 0, new VcpuId(1));
        Assert.Equal(s.Works, s.Surface.ChangeRouting(s.Host, irq, s.Rig[2]));
        s.Rig.Controller.SignalMsi(s.Host, irq.Device, irq.Msi); // the device's next interrupt follows the routing
        Assert.Equal(s.Works ? ["vcpu2 device 7"] : ["vcpu1 device 7"], s.Drain());
    }

    [Fact]
    public void Under_pkvm_the_host_keeps_the_one_call_it_needs_asserting_an_input_the_guest_mapped()
    {
        var rig = new Rig(2, Organisation.Pkvm);
        Assert.Equal([RvicHostOp.AssertInput], rig.Controller.HostOps);
        Assert.Equal([RvicHostOp.AssertInput, RvicHostOp.SetInputLevel], new Rig(2, Organisation.Pkvm, variant: RvicVariant.Level).Controller.HostOps.Order());
        var chip = rig.BootGuest();
        var irq = chip.SetupDeviceIrq(rig[0], new DeviceId(7), 0, new VcpuId(1));
        Assert.True(rig.Controller.HostCall(rig.Vm.Host(0), RvicHostOp.AssertInput, new HostArgs(irq.ChipIrq)));
        Assert.True(rig.Instance(1).IsPending((int)(uint)irq.ChipData!));
    }

    [Fact]
    public void The_surface_refuses_an_organisation_other_than_the_attached_vms()
    {
        var rig = new Rig(2, Organisation.Vhe);
        Assert.Throws<ArgumentException>(() => RvicKit.Kit.HostSurface!(rig.Controller, Organisation.Pkvm));
    }
}
