using IrqBench.Machine;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Traps;
using IrqBench.Machine.Vcpus;
using IrqBench.Rvic.Abi;
using IrqBench.Rvic.Guest;
using IrqBench.Rvic.Hypervisor;
using IrqBench.Rvic.Instance;
using IrqBench.Rvic.Variants;

namespace IrqBench.Rvic.Tests;

/// <summary>A VM with an rVIC on a synthetic profile (every primitive 10 cycles), for calling hypercalls and host inputs
/// directly on its vCPUs without running guest programs.</summary>
internal sealed class Rig
{
    public Rig(int vcpus = 2, Organisation org = Organisation.Vhe, RvicConfig? config = null, RvicVariant? variant = null)
        : this(Profile(org), vcpus, config, variant) { }

    public Rig(CostProfile profile, int vcpus = 2, RvicConfig? config = null, RvicVariant? variant = null)
    {
        Variant = variant ?? RvicVariant.Base;
        Controller = new RvicController(config ?? RvicConfig.Default, Variant);
        Vm = new VirtualMachine(profile, vcpus, 1, Controller);
    }

    public RvicVariant Variant { get; }

    public VirtualMachine Vm { get; }
    public RvicController Controller { get; }
    public RvicConfig Config => Controller.Config;
    public Vcpu this[int i] => Vm.Vcpus[i];
    public RvicInstance Instance(int i) => Controller.InstanceOf(Vm.Vcpus[i]);
    public ulong Mpidr(int i) => Vm.Vcpus[i].Mpidr.Value;

    /// <summary>An MPIDR that no vCPU of this VM has (Aff1 = 0x7F).</summary>
    public const ulong UnknownMpidr = 0x7F00;

    public static CostProfile Profile(Organisation org) => new("test", "synthetic", 3_000_000_000, org, null,
        MachinePrimitives.Specs.Concat(RvicCosts.Specs).Where(s => s.AppliesTo(org))
            .Select(s => new Primitive(s.Section, s.Name, 10, "assumption: test")));

    public (RvicStatus Status, ulong X1) Call(int cpu, uint fn, ulong x1 = 0, ulong x2 = 0, ulong x3 = 0)
    {
        var r = Vm.Vcpus[cpu].Hvc(new HvcArgs(fn, x1, x2, x3));
        return (RvicStatus.Decode(r.X0), r.X1);
    }

    public RvicStatus Status(int cpu, uint fn, ulong x1 = 0, ulong x2 = 0, ulong x3 = 0) => Call(cpu, fn, x1, x2, x3).Status;

    /// <summary>The Linux driver's bring-up on every vCPU: probe, then DISABLE / mask+clear all / ENABLE and unmask of
    /// the IPIs and the timer.</summary>
    public RvicGuestChip BootGuest()
    {
        var chip = Variant.CreateGuestChip(Vm, Config);
        chip.InitBootCpu(this[0]);
        foreach (var v in Vm.Vcpus) chip.InitCpu(v);
        return chip;
    }

    public void AssertInput(ulong input, long at = 0) => Controller.AssertInput(Vm.Host(at), input);

    /// <summary>The host sets an rVID input's line (rvic-level's host call; refused where the design has none).</summary>
    public bool SetInputLevel(ulong input, bool high, long at = 0) =>
        Controller.HostCall(Vm.Host(at), RvicHostOp.SetInputLevel, new HostArgs(input, high ? 1UL : 0));

    public PriorityInstance Prio(int i) => (PriorityInstance)Instance(i);

    /// <summary>Every variant, for theories that must hold on each (rvic.md §12–§15).</summary>
    public static TheoryData<string> Variants => new(RvicVariant.All.Select(v => v.Name));

    public static RvicVariant VariantNamed(string name) => RvicVariant.All.Single(v => v.Name == name);

    public static RvicStatus Error(RvicReason r, byte index = 0) => new(r, index);
}
