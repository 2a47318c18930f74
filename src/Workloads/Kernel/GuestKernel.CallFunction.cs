using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Workloads.Kernel;

/// <summary>Cross-CPU function calls (kernel/smp.c): every user queues on the target's call_single_queue, and the
/// call-function IPI (IPI_CALL_FUNC, one SGI on arm64) goes only to targets whose queue was empty.</summary>
public sealed partial class GuestKernel
{
    private VcpuId[]? ipiTargets;

    /// <summary>__smp_call_single_queue for a csd (smp_call_function_single, kick_ilb's
    /// smp_call_function_single_async): queue it and send the IPI if the queue was empty.</summary>
    private void SmpCallSingleQueue(Vcpu from, RunQueue target, CallFunctionRequest csd)
    {
        if (target.CallSingle.Add(csd)) SendCallFunctionIpi(from, target);
    }

    /// <summary>send_call_function_single_ipi → arch_send_call_function_single_ipi.</summary>
    private void SendCallFunctionIpi(Vcpu from, RunQueue target)
    {
        callFunctionIpis.Value++;
        oneTarget[0] = target.Cpu.Id;
        Chip.SendIpi(from, IpiKind.CallFunction, oneTarget);
    }

    /// <summary>smp_call_function(wait=1) from <paramref name="cpu"/> to every other vCPU (smp_call_function_many_cond:
    /// one csd per target, the IPI mask made of the targets whose queue was empty); null when there is nobody.</summary>
    private CallFunctionRequest? CallFunctionOnOthers(Vcpu cpu, RunQueue rq)
    {
        int n = rqs.Length - 1;
        if (n == 0) return null;
        callFunctionCalls.Value++;
        var req = rq.Request;
        req.Remaining = n;
        var targets = ipiTargets ??= new VcpuId[n];
        int ipis = 0;
        foreach (var other in rqs)
            if (other != rq && other.CallSingle.Add(req)) targets[ipis++] = other.Cpu.Id;
        if (ipis > 0)
        {
            callFunctionIpis.Value += ipis;
            Chip.SendIpi(cpu, IpiKind.CallFunction, targets.AsSpan(0, ipis));
        }
        rq.Waiting = req;
        return req;
    }

    /// <summary>
    /// flush_smp_call_function_queue from the call-function IPI: take the whole queue, run the callbacks (releasing
    /// each waiting caller's csd, or doing the nohz idle balance), then hand the queued wake-ups to
    /// sched_ttwu_pending.
    /// </summary>
    private void FlushCallSingleQueue(Vcpu cpu, RunQueue rq)
    {
        var (csds, wakees) = rq.CallSingle.TakeAll();
        foreach (var req in csds)
        {
            Syscall(cpu, Costs.CallFunctionIpi);
            if (req == CallFunctionRequest.IdleBalance) { NohzIdleBalance(cpu, rq); continue; }
            if (req.Wait && --req.Remaining == 0) req.Done.Set(cpu);
        }
        if (wakees.Count > 0) SchedTtwuPending(cpu, rq, wakees);
    }
}
