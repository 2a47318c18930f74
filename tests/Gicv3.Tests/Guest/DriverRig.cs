using IrqBench.Gicv3.Guest;
using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Gicv3.Tests.Guest;

/// <summary>A VM booted by the Linux irq-gic-v3 driver model, with scripted steps per vCPU and the handlers'
/// log.</summary>
internal static class DriverRig
{
    internal sealed class Handled : IGuestIrqHandlers
    {
        public readonly List<(int Cpu, string What)> Log = [];
        public void OnIpi(Vcpu cpu, IpiKind kind) => Log.Add((cpu.Id.Value, $"ipi:{kind}"));
        public void OnTimer(Vcpu cpu) { Log.Add((cpu.Id.Value, "timer")); cpu.Timer.Disable(); }
        public void OnDeviceIrq(Vcpu cpu, DeviceIrq irq) => Log.Add((cpu.Id.Value, $"dev:{irq.Device.Value}"));
    }

    /// <summary>vCPU0 brings up the distributor, then every vCPU its own redistributor and CPU interface; each then
    /// runs its steps and spins with IRQs unmasked.</summary>
    internal sealed class DriverGuest(Gicv3GuestDriver chip, Handled handlers, GuestFlag booted) : IGuestProgram
    {
        private readonly GuestFlag never = new();
        private bool up;
        public Queue<Action<Vcpu>> Steps { get; } = new();
        public long Gap = 20_000;

        public void Start(Vcpu cpu)
        {
            if (cpu.Id.Value == 0) { chip.InitBootCpu(cpu); chip.InitCpu(cpu); up = true; booted.Set(cpu); cpu.RunWork(0); }
            else cpu.SpinUntil(booted);
        }

        public void Resume(Vcpu cpu)
        {
            if (!up) { chip.InitCpu(cpu); up = true; }
            if (Steps.TryDequeue(out var s)) { s(cpu); cpu.RunWork(Gap); }
            else cpu.SpinUntil(never);
        }

        public void OnIrq(Vcpu cpu) => chip.HandleIrq(cpu, handlers);
    }

    internal sealed class Rig
    {
        public readonly VirtualMachine Vm;
        public readonly Gicv3Controller Gic;
        public readonly Gicv3GuestDriver Chip;
        public readonly Handled Handlers = new();
        public readonly DriverGuest[] Guests;
        public readonly HostEvents Host;

        public Rig(int vcpus, Gicv3Config? config = null, string profile = "altra-vhe")
        {
            (Vm, Gic) = TestVm.Create(vcpus, config, profile);
            Chip = new Gicv3GuestDriver(Vm, Gic);
            var booted = new GuestFlag();
            Guests = Vm.Vcpus.Select(_ => new DriverGuest(Chip, Handlers, booted)).ToArray();
            Host = new HostEvents(Vm);
        }

        public void Run(long limit = 100_000_000)
        {
            Vm.Boot(v => Guests[v.Id.Value]);
            Vm.Run(limit);
        }
    }
}
