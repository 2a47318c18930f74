using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Vcpus;
using IrqBench.Rvic.Guest;

namespace IrqBench.Rvic.Tests;

/// <summary>A vCPU that waits in WFI is woken by an IPI, whether the SIGNAL lands before or after it halts.</summary>
public class WfiTests
{
    private sealed class Sender(RvicGuestChip chip, long delay) : IGuestProgram
    {
        private bool sent;
        public void Start(Vcpu cpu) { chip.InitBootCpu(cpu); chip.InitCpu(cpu); cpu.RunWork(delay); }
        public void Resume(Vcpu cpu)
        {
            if (sent) { cpu.Stop(); return; }
            sent = true;
            chip.SendIpi(cpu, IpiKind.Reschedule, [new VcpuId(1)]);
            cpu.RunWork(1_000_000);
        }
        public void OnIrq(Vcpu cpu) => chip.HandleIrq(cpu, new Handlers(null));
    }

    private sealed class Waiter(RvicGuestChip chip, long work) : IGuestProgram
    {
        public readonly GuestFlag Woken = new();
        public void Start(Vcpu cpu) { chip.InitCpu(cpu); cpu.RunWork(work); }
        public void Resume(Vcpu cpu) { if (Woken.IsSet) cpu.Stop(); else cpu.WaitForInterrupt(); }
        public void OnIrq(Vcpu cpu) => chip.HandleIrq(cpu, new Handlers(Woken));
    }

    private sealed class Handlers(GuestFlag? flag) : IGuestIrqHandlers
    {
        public void OnIpi(Vcpu cpu, IpiKind kind) => flag?.Set(cpu);
        public void OnTimer(Vcpu cpu) { }
        public void OnDeviceIrq(Vcpu cpu, DeviceIrq irq) { }
    }

    /// <summary>The waiter reaches WFI anywhere from well before the SIGNAL to after it, in steps finer than the
    /// hypercall and kick latencies (both vCPUs first spend the same bring-up time, the sender four probe calls more).
    /// When the sender's burst runs ahead of the waiter's WFI on the timeline, the waiter must halt and be woken by
    /// the kick, not spin on a VI that only its next entry will raise.</summary>
    [Fact]
    public void An_ipi_wakes_a_vcpu_waiting_in_wfi_whenever_it_got_there()
    {
        const long sendAt = 5000;
        var profile = Rig.Profile(Machine.Costs.Organisation.Vhe)
            .With("machine", "vcpu_exit_save", 380).With("machine", "vcpu_entry_restore", 380).With("machine", "kick_ipi", 600);
        for (long waiterWork = 0; waiterWork <= 8000; waiterWork += 50)
        {
            var rig = new Rig(profile);
            var chip = new RvicGuestChip(rig.Vm, rig.Config);
            var waiter = new Waiter(chip, waiterWork);
            rig.Vm.Boot(c => c.Id.Value == 0 ? new Sender(chip, sendAt) : waiter);
            rig.Vm.Run(10_000_000);
            Assert.True(waiter.Woken.IsSet, $"waiter work {waiterWork}: never woken");
            Assert.Equal(1, rig.Vm.Metrics.IrqsDelivered.Value);
        }
    }
}
