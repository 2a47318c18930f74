using BenchmarkDotNet.Attributes;
using IrqBench.Gicv3;
using IrqBench.Gicv3.CpuInterface;
using IrqBench.Gicv3.Registers;
using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Harness.HostBench;

/// <summary>
/// What the emulated GICv3 costs the simulator (host time, allocations): one trapped GICD write, and one SGI from the
/// sender's SGI1R write to the receiver's EOI. Steady state should allocate nothing (the SGI's acknowledge records a
/// latency sample in the machine's recorder, whose buffer doubles as it fills: a fresh VM per iteration keeps it in
/// its first buffer).
/// </summary>
[MemoryDiagnoser]
public class Gicv3Benchmarks
{
    private const int Sgis = 512;

    private VirtualMachine vm = null!;
    private Gicv3Controller gic = null!;
    private Vcpu cpu0 = null!, cpu1 = null!;
    private Receiver receiver = null!;

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
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public void GicdMmioWrite()
    {
        ulong reg = gic.Config.DistributorBase + Gicd.IPriorityR + 40;
        for (int i = 0; i < 1000; i++) cpu0.MmioWrite(reg, 1, 0xA0);
    }

    // ---- an SGI end to end: SGI1R trap, dispatch and kick, the receiver's exit, flush, IAR, EOI, fold ---------

    /// <summary>vCPU1 spins with IRQs unmasked and acknowledges and completes whatever arrives.</summary>
    private sealed class Receiver : IGuestProgram
    {
        private readonly GuestFlag never = new();
        public long Handled;
        public void Start(Vcpu cpu) => cpu.SpinUntil(never);
        public void Resume(Vcpu cpu) => cpu.SpinUntil(never);

        public void OnIrq(Vcpu cpu)
        {
            ulong id = cpu.SysregRead(IccSysRegs.Iar1);
            if (id < 1020) { Handled++; cpu.SysregWrite(IccSysRegs.Eoir1, id); }
        }
    }

    /// <summary>vCPU0's program: spin; the benchmark makes its accesses.</summary>
    private sealed class Idle : IGuestProgram
    {
        private readonly GuestFlag never = new();
        public void Start(Vcpu cpu) => cpu.SpinUntil(never);
        public void Resume(Vcpu cpu) => cpu.SpinUntil(never);
        public void OnIrq(Vcpu cpu) { }
    }

    /// <summary>A fresh VM per iteration keeps the machine's latency record inside its first buffer.</summary>
    [IterationSetup(Target = nameof(SgiEndToEnd))]
    public void SetupSgi()
    {
        (vm, gic) = NewVm();
        cpu0 = vm.Vcpus[0];
        cpu1 = vm.Vcpus[1];
        receiver = new Receiver();
        vm.Boot(v => v.Id.Value == 0 ? new Idle() : receiver);
        while (vm.Queue.Step()) { }
        // warm the ap_list, the event heap and the lock tables
        for (int i = 0; i < 8; i++) OneSgi();
    }

    [Benchmark(OperationsPerInvoke = Sgis)]
    public void SgiEndToEnd()
    {
        for (int i = 0; i < Sgis; i++) OneSgi();
    }

    private void OneSgi()
    {
        long before = receiver.Handled;
        cpu0.SysregWrite(IccSysRegs.Sgi1r, 1UL << 24 | 0b10); // SGI 1 to vCPU1
        while (receiver.Handled == before && vm.Queue.Step()) { }
    }
}
