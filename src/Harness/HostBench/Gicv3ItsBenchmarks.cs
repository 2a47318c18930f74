using BenchmarkDotNet.Attributes;
using IrqBench.Gicv3;
using IrqBench.Gicv3.Guest;
using IrqBench.Gicv3.Its;
using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Harness.HostBench;

/// <summary>
/// The emulated ITS on the simulator's host: processing queued commands (per command, a batch posted by one CWRITER
/// write), and translating a device write to GITS_TRANSLATER with the translation cache hit and missed. The LPI is
/// disabled in its property table, so translating only sets it pending (no kick); one no-op event per operation moves
/// the clock along.
/// </summary>
[MemoryDiagnoser]
public class Gicv3ItsBenchmarks
{
    private const int Batch = 64, Translations = 1000;
    private const uint Device = 2, Event = 20, Lpi = 8199;

    private VirtualMachine vm = null!;
    private Gicv3Controller gic = null!;
    private Gicv3GuestDriver chip = null!;
    private Vcpu cpu0 = null!;
    private HostContext host = null!;

    [GlobalSetup]
    public void Setup()
    {
        gic = new Gicv3Controller();
        vm = new VirtualMachine(ProfileStore.Load(ProfileStore.DefaultProfile), 2, 1, gic);
        chip = new Gicv3GuestDriver(vm, gic);
        cpu0 = vm.Vcpus[0];
        chip.InitBootCpu(cpu0);
        foreach (var v in vm.Vcpus) chip.InitCpu(v);
        var irq = chip.MapDeviceEvent(cpu0, new DeviceId(Device), Event, Lpi, new VcpuId(1));
        chip.MaskDeviceIrq(cpu0, irq);
        Gicv3Benchmarks.BootIdle(vm);
        host = vm.Host(vm.Queue.Now);
    }

    /// <summary>INV commands: reading the command, finding the ITE, re-reading the LPI's property byte.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public void CommandProcessing()
    {
        var its = chip.Its!;
        for (int i = 0; i < Batch; i++) its.Write(ItsCommand.Event(ItsCommandType.Inv, Device, Event));
        cpu0.MmioWrite(gic.Config.ItsBase + 0x88, 8, its.WritePointer);
        Gicv3Benchmarks.AdvanceClock(vm, cpu0.Now);
    }

    [Benchmark(OperationsPerInvoke = Translations)]
    public void TranslaterCacheHit()
    {
        var its = gic.Its!;
        for (int i = 0; i < Translations; i++)
        {
            its.InjectMsi(host, Device, Event);
            Gicv3Benchmarks.AdvanceClock(vm, host.Now);
        }
    }

    [Benchmark(OperationsPerInvoke = Translations)]
    public void TranslaterCacheMiss()
    {
        var its = gic.Its!;
        for (int i = 0; i < Translations; i++)
        {
            its.InvalidateCache();
            its.InjectMsi(host, Device, Event);
            Gicv3Benchmarks.AdvanceClock(vm, host.Now);
        }
    }
}
