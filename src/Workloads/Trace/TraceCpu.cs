using IrqBench.Machine.Vcpus;
using IrqBench.Workloads.Kernel;

namespace IrqBench.Workloads.Trace;

/// <summary>
/// The replay task pinned to one vCPU: it arms that vCPU's recorded timer interrupts as hrtimers, and sends its
/// recorded IPIs at their times. Between sends it computes (between=busy, the vCPU stays in the guest until the
/// trace ends) or sleeps on an hrtimer (between=idle, the vCPU halts in WFI between events).
/// </summary>
public sealed class TraceCpu(int cpu, IReadOnlyList<TraceEvent> own, long endNs, bool busy, Func<long, long> toCycles)
    : GuestTask($"replay/{cpu}", mm: 0)
{
    private int next;
    private bool armed;

    public long Sent { get; private set; }
    public bool Done { get; private set; }
    public Action<GuestKernel, Vcpu>? OnDone { get; set; }

    protected internal override TaskStep Run(GuestKernel k, Vcpu vcpu)
    {
        if (!armed)
        {
            armed = true;
            foreach (var e in own)
                if (e.Kind == TraceKind.Timer) k.ArmTimer(vcpu, toCycles(e.TimeNs));
        }
        while (next < own.Count && own[next].Kind != TraceKind.Ipi) next++;
        if (next < own.Count)
        {
            var e = own[next];
            long at = toCycles(e.TimeNs);
            if (vcpu.Now < at) return busy ? TaskStep.Compute(at - vcpu.Now) : k.SleepUntil(vcpu, this, at);
            k.SendIpi(vcpu, e.Ipi, e.Target);
            Sent++;
            next++;
            return TaskStep.Compute(0);
        }
        if (busy && vcpu.Now < toCycles(endNs)) return TaskStep.Compute(toCycles(endNs) - vcpu.Now);
        Done = true;
        OnDone?.Invoke(k, vcpu);
        return TaskStep.Exit;
    }
}
