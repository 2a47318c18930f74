using BenchmarkDotNet.Attributes;
using IrqBench.Machine;
using IrqBench.Machine.Traps;
using IrqBench.Machine.Vcpus;
using IrqBench.Rvic;
using IrqBench.Rvic.Abi;

namespace IrqBench.Harness.HostBench;

/// <summary>
/// The simulator's cost of the rVIC paths, per operation, on a booted 2-vCPU VM: one hypercall through the whole
/// machine (exit, router, rVIC dispatch, MPIDR lookup, instance lock, entry), and the delivery cycle of one interrupt,
/// SIGNAL → ACKNOWLEDGE → CLEAR_MASKED. Both must allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class RvicBenchmarks
{
    private const int Ops = 1024;
    private const uint Intid = 40;

    [Params("altra-vhe", "pkvm")] public string Profile = "altra-vhe";

    private VirtualMachine vm = null!;
    private Vcpu cpu0 = null!;
    private ulong self, other;

    [GlobalSetup]
    public void Setup()
    {
        var kit = RvicKit.Kit;
        vm = new VirtualMachine(ProfileStore.Load(Profile), 2, 1, kit.CreateController());
        var chip = kit.CreateGuestChip(vm);
        cpu0 = vm.Vcpus[0];
        chip.InitBootCpu(cpu0);
        foreach (var v in vm.Vcpus) chip.InitCpu(v);
        self = cpu0.Mpidr.Value;
        other = vm.Vcpus[1].Mpidr.Value;
        if (cpu0.Hvc(new HvcArgs(RvicFunctions.ClearMasked, self, Intid)).X0 != 0) throw new InvalidOperationException("CLEAR_MASKED failed");
    }

    /// <summary>IS_PENDING on the other vCPU's instance: a cross-instance call that changes nothing.</summary>
    [Benchmark(OperationsPerInvoke = Ops)]
    public ulong HypercallDispatch()
    {
        ulong sum = 0;
        for (int i = 0; i < Ops; i++) sum += cpu0.Hvc(new HvcArgs(RvicFunctions.IsPending, other, Intid)).X0;
        return sum;
    }

    /// <summary>One interrupt's life on the caller's own instance: three hypercalls.</summary>
    [Benchmark(OperationsPerInvoke = Ops)]
    public ulong SignalAcknowledgeClearMasked()
    {
        ulong sum = 0;
        for (int i = 0; i < Ops; i++)
        {
            sum += cpu0.Hvc(new HvcArgs(RvicFunctions.Signal, self, Intid)).X0;
            sum += cpu0.Hvc(new HvcArgs(RvicFunctions.Acknowledge)).X1;
            sum += cpu0.Hvc(new HvcArgs(RvicFunctions.ClearMasked, self, Intid)).X0;
        }
        vm.Metrics.IrqLatency.Clear(); // keep the sample buffer at its size: this measures the rVIC, not the recorder
        if (sum != Ops * (ulong)Intid) throw new InvalidOperationException($"SIGNAL/ACKNOWLEDGE/CLEAR_MASKED went wrong ({sum})");
        return sum;
    }
}
