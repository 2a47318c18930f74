using BenchmarkDotNet.Attributes;
using IrqBench.Gicv3;
using IrqBench.Gicv3.Registers;
using IrqBench.Machine;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Harness.HostBench;

/// <summary>The vgic's entry flush and exit fold (OnGuestEntry + OnGuestExit) with N interrupts pending on one vCPU:
/// with more than the four list registers the ap_list is sorted and only four are written each time (plus one no-op
/// event to move the clock along).</summary>
[MemoryDiagnoser]
public class Gicv3FlushBenchmarks
{
    private VirtualMachine vm = null!;
    private Gicv3Controller gic = null!;
    private Vcpu cpu0 = null!;

    [Params(1, 4, 8, 16)] public int Pending;

    [GlobalSetup]
    public void Setup()
    {
        (vm, gic) = Gicv3Benchmarks.NewVm();
        cpu0 = vm.Vcpus[0];
        for (int i = 0; i < Pending; i++)
        {
            uint intid = (uint)(40 + i);
            cpu0.MmioWrite(gic.Config.DistributorBase + Gicd.IPriorityR + intid, 1, (ulong)(0x10 + 8 * (i % 16)));
            cpu0.MmioWrite(gic.Config.DistributorBase + Gicd.ISEnableR + intid / 32 * 4, 4, 1u << (int)(intid % 32));
            gic.SetSpiLevel(vm.Host(cpu0.Now), intid, true);
        }
        Gicv3Benchmarks.BootIdle(vm);
        gic.OnGuestExit(cpu0);
    }

    [Benchmark(OperationsPerInvoke = 100)]
    public void LrFlushAndFold()
    {
        for (int i = 0; i < 100; i++)
        {
            gic.OnGuestEntry(cpu0);
            gic.OnGuestExit(cpu0);
            Gicv3Benchmarks.AdvanceClock(vm, cpu0.Now);
        }
    }
}
