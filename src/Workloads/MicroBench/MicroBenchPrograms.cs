using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Workloads.MicroBench;

/// <summary>The handlers of the micro-bench guest: every interrupt the tests raise sets the "handled" flag; the timer
/// handler also disables the timer, as kvm-unit-tests' timer test does.</summary>
internal sealed class MicroBenchHandlers(MicroBenchContext ctx) : IGuestIrqHandlers
{
    public void OnIpi(Vcpu cpu, IpiKind kind) => ctx.Handled.Set(cpu);
    public void OnTimer(Vcpu cpu) { cpu.Timer.Disable(); ctx.Handled.Set(cpu); }
    public void OnDeviceIrq(Vcpu cpu, DeviceIrq irq) => ctx.Handled.Set(cpu);
}

/// <summary>vCPU0 of micro-bench: brings up the irqchip, waits for vCPU1, prepares the test, then runs the timed loop
/// of <c>iterations</c> operations (one timestamp pair around the whole loop, as
/// kvm-unit-tests does since 2023-11).</summary>
internal sealed class MicroBenchMain(MicroBenchContext ctx, IMicroBenchmark test, int iterations, GuestFlag secondaryReady, IGuestIrqHandlers handlers) : IGuestProgram
{
    private enum Phase { WaitSecondary, Loop, Done }
    private Phase phase;
    private int done;

    public long LoopStart { get; private set; }
    public long LoopEnd { get; private set; }
    public long ExitsAtStart { get; private set; }
    public long ExitsAtEnd { get; private set; }

    public void Start(Vcpu cpu)
    {
        ctx.Chip.InitBootCpu(cpu);
        ctx.Chip.InitCpu(cpu);
        phase = Phase.WaitSecondary;
        cpu.SpinUntil(secondaryReady);
    }

    public void Resume(Vcpu cpu)
    {
        if (phase == Phase.WaitSecondary)
        {
            test.Prepare(ctx, cpu);
            phase = Phase.Loop;
            LoopStart = cpu.Now;
            ExitsAtStart = ctx.Vm.Metrics.ExitsTotal;
        }
        else if (phase == Phase.Loop && ++done == iterations)
        {
            LoopEnd = cpu.Now;
            ExitsAtEnd = ctx.Vm.Metrics.ExitsTotal;
            phase = Phase.Done;
            ctx.Vm.Stop();
            cpu.Stop();
            return;
        }
        ctx.Handled.Clear();
        var wait = test.Execute(ctx, cpu);
        if (wait is null) cpu.RunWork(0);
        else cpu.SpinUntil(wait);
    }

    public void OnIrq(Vcpu cpu) => ctx.Chip.HandleIrq(cpu, handlers);
}

/// <summary>vCPU1 of micro-bench: brings up its CPU interface and spins with IRQs unmasked, handling what arrives.</summary>
internal sealed class MicroBenchSecondary(MicroBenchContext ctx, GuestFlag ready, IGuestIrqHandlers handlers) : IGuestProgram
{
    private readonly GuestFlag never = new();

    public void Start(Vcpu cpu)
    {
        ctx.Chip.InitCpu(cpu);
        ready.Set(cpu);
        cpu.SpinUntil(never);
    }

    public void Resume(Vcpu cpu) => cpu.SpinUntil(never);

    public void OnIrq(Vcpu cpu) => ctx.Chip.HandleIrq(cpu, handlers);
}
