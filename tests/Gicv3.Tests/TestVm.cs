using IrqBench.Gicv3.CpuInterface;
using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Gicv3.Tests;

/// <summary>VMs with a GICv3 on a real profile, and scripted guest programs to drive them.</summary>
internal static class TestVm
{
    public static readonly IReadOnlyList<PrimitiveSpec> Schema = MachinePrimitives.Specs.Concat(Gicv3Costs.Specs).ToArray();

    public static string RepoRoot
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "IrqBench.sln"))) return d.FullName;
            throw new InvalidOperationException("cannot find the repository root");
        }
    }

    /// <summary>A profile from profiles/, keeping the sections this project charges (machine, gicv3) so that other
    /// components' sections do not need their specs here.</summary>
    public static CostProfile Profile(string name = "altra-vhe")
    {
        return ProfileLoader.LoadFileForSections(Path.Combine(RepoRoot, "profiles", name + ".json"), Schema);
    }

    public static (VirtualMachine Vm, Gicv3Controller Gic) Create(int vcpus = 2, Gicv3Config? config = null, string profile = "altra-vhe")
    {
        var gic = new Gicv3Controller(config);
        var vm = new VirtualMachine(Profile(profile), vcpus, 1, gic);
        return (vm, gic);
    }

    public static ulong Gicd(Gicv3Controller gic, uint offset) => gic.Config.DistributorBase + offset;

    public static ulong Rd(Gicv3Controller gic, int vcpu, uint offset) =>
        IrqBench.Gicv3.Redistributor.RedistributorRegisters.FrameAddress(gic.Config, vcpu) + offset;

    public static ulong Sgi(Gicv3Controller gic, int vcpu, uint offset) => Rd(gic, vcpu, offset) + Gicv3Config.FrameSize;

    /// <summary>A minimal guest set-up without the Linux driver: enable the distributor, group 1 and PMR on every
    /// vCPU (directly, at time 0).</summary>
    public static void BasicSetup(VirtualMachine vm, Gicv3Controller gic, byte pmr = 0xF0)
    {
        vm.Vcpus[0].MmioWrite(Gicd(gic, IrqBench.Gicv3.Registers.Gicd.Ctlr), 4, 0x12);
        foreach (var v in vm.Vcpus)
        {
            v.SysregWrite(IccSysRegs.Pmr, pmr);
            v.SysregWrite(IccSysRegs.Igrpen1, 1);
        }
    }
}

/// <summary>One interrupt a guest took.</summary>
internal readonly record struct Ack(int Vcpu, uint IntId, long At);

/// <summary>
/// A guest program that runs scripted steps (each followed by a short work segment), then idles (WFI or spinning
/// with IRQs unmasked). Its IRQ handler acknowledges through ICC_IAR1_EL1, records, and completes through
/// ICC_EOIR1_EL1 unless told otherwise.
/// </summary>
internal sealed class ScriptGuest(List<Ack> acks, bool wfi = true) : IGuestProgram
{
    private readonly GuestFlag never = new();

    public Queue<Action<Vcpu>> Steps { get; } = new();
    public long StepGap { get; set; } = 1000;

    /// <summary>Replaces the default acknowledge → record → EOI handler.</summary>
    public Action<Vcpu>? Handler { get; set; }

    /// <summary>Called with each acknowledged INTID before the EOI.</summary>
    public Action<Vcpu, uint>? OnAck { get; set; }

    public bool Eoi { get; set; } = true;

    public void Start(Vcpu cpu) => Resume(cpu);

    public void Resume(Vcpu cpu)
    {
        if (Steps.TryDequeue(out var step))
        {
            step(cpu);
            cpu.RunWork(StepGap);
        }
        else if (wfi) cpu.WaitForInterrupt();
        else cpu.SpinUntil(never);
    }

    public void OnIrq(Vcpu cpu)
    {
        if (Handler is not null) { Handler(cpu); return; }
        uint intid = (uint)cpu.SysregRead(IccSysRegs.Iar1);
        if (SpecialIntIds.IsSpecial(intid)) return;
        acks.Add(new Ack(cpu.Id.Value, intid, cpu.Now));
        OnAck?.Invoke(cpu, intid);
        if (Eoi) cpu.SysregWrite(IccSysRegs.Eoir1, intid);
    }
}

/// <summary>Things the host (the VMM, a device) does at given times: raising SPIs, signalling MSIs.</summary>
internal sealed class HostEvents : Machine.Simulation.IEventTarget
{
    private readonly VirtualMachine vm;
    private readonly List<Action<HostContext>> actions = [];

    public HostEvents(VirtualMachine vm) => this.vm = vm;

    public void At(long time, Action<HostContext> action)
    {
        actions.Add(action);
        vm.Queue.Post(time, this, actions.Count - 1);
    }

    public void OnEvent(int kind, long arg) => actions[kind](vm.Host(vm.Queue.Now));
}
