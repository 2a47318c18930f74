using BenchmarkDotNet.Attributes;
using IrqBench.Gicv3;
using IrqBench.Gicv3.CpuInterface;
using IrqBench.Gicv3.Guest;
using IrqBench.Gicv3.Registers;
using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Harness.HostBench;

/// <summary>
/// What the emulated GICv3 costs the simulator (host time, allocations): one trapped GICD write (with the event
/// clock moved along, one no-op event per write), and one SGI from the sender's SGI1R write to the receiver's EOI
/// (the <see cref="SgiPingPong"/> guest). Steady state should allocate nothing (the SGI's acknowledge records a
/// latency sample in the machine's recorder, whose buffer doubles as it fills: a fresh VM per iteration keeps it in
/// its first buffer).
/// </summary>
[MemoryDiagnoser]
public class Gicv3Benchmarks
{
    private const int Sgis = 512;

    private VirtualMachine vm = null!;
    private Gicv3Controller gic = null!;
    private Vcpu cpu0 = null!;
    private SgiPingPong.Receiver receiver = null!;

    /// <summary>Moves the event clock up to <paramref name="time"/> (one no-op event), as a run's clock follows its
    /// vCPUs: modelled locks forget the hold intervals that are over.</summary>
    internal static void AdvanceClock(VirtualMachine vm, long time)
    {
        vm.Queue.Post(Math.Max(time, vm.Queue.Now), Noop.Instance, 0);
        while (vm.Queue.Step()) { }
    }

    /// <summary>Boots every vCPU into a spin loop and runs what set-up left queued (kicks, stop-the-world pauses).</summary>
    internal static void BootIdle(VirtualMachine vm)
    {
        vm.Boot(_ => new Idle());
        while (vm.Queue.Step()) { }
    }

    private sealed class Noop : Machine.Simulation.IEventTarget
    {
        public static readonly Noop Instance = new();
        public void OnEvent(int kind, long arg) { }
    }

    internal static (VirtualMachine, Gicv3Controller) NewVm()
    {
        var gic = new Gicv3Controller();
        var vm = new VirtualMachine(ProfileStore.Load(ProfileStore.DefaultProfile), 2, 1, gic);
        vm.Vcpus[0].MmioWrite(gic.Config.DistributorBase + Gicd.Ctlr, 4, Gicd.CtlrEnableGrp1);
        foreach (var v in vm.Vcpus)
        {
            v.SysregWrite(IccSysRegs.Pmr, 0xF0);
            v.SysregWrite(IccSysRegs.Igrpen1, 1);
        }
        return (vm, gic);
    }

    // ---- one trapped GICD write (exit, vgic dispatch, IPRIORITYR byte handler, entry) ------------------------

    [GlobalSetup(Target = nameof(GicdMmioWrite))]
    public void SetupMmio()
    {
        (vm, gic) = NewVm();
        cpu0 = vm.Vcpus[0];
        BootIdle(vm);
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public void GicdMmioWrite()
    {
        ulong reg = gic.Config.DistributorBase + Gicd.IPriorityR + 40;
        for (int i = 0; i < 1000; i++)
        {
            cpu0.MmioWrite(reg, 1, 0xA0);
            AdvanceClock(vm, cpu0.Now);
        }
    }

    // ---- an SGI end to end: SGI1R trap, dispatch and kick, the receiver's exit, flush, IAR, EOI, fold ---------


    /// <summary>A fresh VM per iteration keeps the machine's latency record inside its first buffer.</summary>
    [IterationSetup(Target = nameof(SgiEndToEnd))]
    public void SetupSgi()
    {
        (vm, gic) = NewVm();
        var flag = new GuestFlag();
        receiver = new SgiPingPong.Receiver(flag);
        vm.Boot(v => v.Id.Value == 0 ? new SgiPingPong.Sender(flag) : receiver);
        RunUntilHandled(16); // warm the ap_list, the event heap and the lock tables
    }

    [Benchmark(OperationsPerInvoke = Sgis)]
    public void SgiEndToEnd() => RunUntilHandled(receiver.Handled + Sgis);

    private void RunUntilHandled(long count)
    {
        while (receiver.Handled < count && vm.Queue.Step()) { }
    }

    /// <summary>A vCPU that spins with IRQs masked (PSTATE.I): the benchmark makes its accesses, and whatever is
    /// pending stays pending.</summary>
    private sealed class Idle : IGuestProgram
    {
        private readonly GuestFlag never = new();
        public void Start(Vcpu cpu) { cpu.IrqsMasked = true; cpu.SpinUntil(never); }
        public void Resume(Vcpu cpu) => cpu.SpinUntil(never);
        public void OnIrq(Vcpu cpu) { }
    }
}
