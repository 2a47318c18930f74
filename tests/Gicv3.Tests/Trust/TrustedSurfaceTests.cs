using IrqBench.Gicv3.CpuInterface;
using IrqBench.Gicv3.Its;
using IrqBench.Gicv3.Trust;
using IrqBench.Gicv3.Vgic;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;

namespace IrqBench.Gicv3.Tests.Trust;

/// <summary>What the trusted part must implement, counted from the model's tables: the register descriptors of the
/// frames, the trapped ICC registers and where they are handled, the ITS dispatch, the state types.</summary>
public class TrustedSurfaceTests
{
    private static TrustedSurface Of(ControllerKit kit, Organisation o) => kit.Surface!(o);

    private static TrustedSurface Of(Gicv3Config config, Organisation o) => Gicv3Kit.Create("test", config).Surface!(o);

    public static TheoryData<string> Designs() => ["gicv3", "gicv4.1", "gicv3-trapall"];

    private static ControllerKit Kit(string name) => new Gicv3KitProvider().Kits.Single(k => k.Name == name);

    [Theory]
    [MemberData(nameof(Designs))]
    public void Under_vhe_and_nvhe_the_whole_host_is_trusted_and_nothing_is_forwarded(string design)
    {
        var vhe = Of(Kit(design), Organisation.Vhe);
        var nvhe = Of(Kit(design), Organisation.Nvhe);
        Assert.Equal((design, "vhe", 0), (vhe.Design, vhe.Organisation, vhe.ExitKindsForwarded));
        Assert.Equal(vhe with { Organisation = "nvhe" }, nvhe);
        Assert.True(vhe.GuestRegisters > 0 && vhe.ItsCommands > 0 && vhe.PerVcpuStateFields > 0 && vhe.PerVmStateFields > 0);
        Assert.Equal(0, vhe.Hypercalls); // a GICv3 has no hypercall interface
    }

    [Fact]
    public void Under_pkvm_the_GICv3s_trusted_part_is_only_EL2s_copy_of_the_CPU_interface_state()
    {
        var pkvm = Of(Gicv3Kit.Kit, Organisation.Pkvm);
        var vhe = Of(Gicv3Kit.Kit, Organisation.Vhe);
        Assert.Equal("pkvm", pkvm.Organisation);
        Assert.Equal((0, 0, 0, 0, 0), (pkvm.GuestRegisters, pkvm.Hypercalls, pkvm.ItsCommands, pkvm.PerVmStateFields, pkvm.ExitKindsHandledTrusted));
        Assert.Equal(vhe.ExitKindsHandledTrusted, pkvm.ExitKindsForwarded); // every exit kind goes to the host
        // The hyp vCPU's vgic_v3_cpu_if: the list registers, APRs, VMCR and HCR, and used_lrs.
        Assert.Equal(StateFields.Count(typeof(VirtualCpuInterface)) + StateFields.CountAtEl2(typeof(VgicCpu)), pkvm.PerVcpuStateFields);
        Assert.InRange(pkvm.PerVcpuStateFields, 1, vhe.PerVcpuStateFields - 1);
    }

    [Fact]
    public void Trapping_every_ICC_access_puts_the_fast_path_emulation_of_each_trapped_register_into_pKVMs_EL2()
    {
        var trapall = Of(Gicv3Kit.TrapAllKit, Organisation.Pkvm);
        var gicv3 = Of(Gicv3Kit.Kit, Organisation.Pkvm);
        var c = Gicv3Kit.TrapAllConfig;
        int emulated = IccSysRegs.Registers.Count(r => !r.AlwaysTraps && VirtualCpuInterface.Traps(r, c.CpuifTrapBits, c.HasTdir));
        Assert.Equal(22, emulated); // every ICC register but SRE and the three SGI generation registers
        Assert.Equal(emulated, trapall.GuestRegisters - gicv3.GuestRegisters);
        Assert.Equal(emulated, trapall.ExitKindsHandledTrusted - gicv3.ExitKindsHandledTrusted);
        Assert.Equal(gicv3.ExitKindsForwarded, trapall.ExitKindsForwarded); // the MMIO frames, SGIxR, IRQs and WFx
        Assert.Equal(gicv3.PerVcpuStateFields, trapall.PerVcpuStateFields); // the emulation works on the same copy
        var vhe = Of(Gicv3Kit.TrapAllKit, Organisation.Vhe);
        Assert.Equal(emulated, vhe.GuestRegisters - Of(Gicv3Kit.Kit, Organisation.Vhe).GuestRegisters);
    }

    [Fact]
    public void Without_an_ITS_its_registers_commands_and_state_leave_the_trusted_part_and_the_GICv2m_frame_comes_in()
    {
        var with = Of(new Gicv3Config(), Organisation.Vhe);
        var without = Of(new Gicv3Config { HasIts = false }, Organisation.Vhe);
        Assert.Equal(Enum.GetValues<ItsCommandType>().Length, with.ItsCommands); // the dispatch serves every command
        Assert.Equal(0, without.ItsCommands);
        int itsState = new[] { typeof(VgicIts), typeof(ItsDevice), typeof(ItsIte), typeof(ItsCollection) }.Sum(StateFields.Count);
        Assert.True(itsState > 0);
        Assert.Equal(itsState, with.PerVmStateFields - without.PerVmStateFields);
        Assert.NotEqual(with.GuestRegisters, without.GuestRegisters);
        Assert.Contains("DABT GICv2m (3 registers)", without.Notes);
        Assert.Contains("DABT GITS", with.Notes);
    }

    [Fact]
    public void Under_the_v619_policy_the_per_entry_DIR_trap_is_an_exit_kind_handled_at_EL2()
    {
        var v612 = Of(new Gicv3Config(), Organisation.Pkvm);
        var v619 = Of(new Gicv3Config { Policy = OverflowPolicy.Kvm619 }, Organisation.Pkvm);
        Assert.Equal((0, 1), (v612.ExitKindsHandledTrusted, v619.ExitKindsHandledTrusted));
        Assert.Equal(v612.ExitKindsForwarded, v619.ExitKindsForwarded);
    }

#pragma warning disable CS0649, CS0169 // fields that exist only to be counted
    private sealed class Sample
    {
        public int A;
        private long b;
        public string C { get; set; } = "";
        [ModelOnly("scratch")] public int Scratch;
        [El2State] public int AtEl2;
        public static int NotPerInstance;
    }
#pragma warning restore CS0649, CS0169

    [Fact]
    public void A_types_state_fields_are_its_instance_fields_but_those_marked_model_only()
    {
        Assert.Equal(4, StateFields.Count(typeof(Sample))); // A, b, C's backing field, AtEl2
        Assert.Equal(["AtEl2"], StateFields.Of(typeof(Sample)).Where(f => f.IsDefined(typeof(El2StateAttribute), false)).Select(f => f.Name));
        Assert.Equal(1, StateFields.CountAtEl2(typeof(Sample)));
    }
}
