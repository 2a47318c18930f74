using IrqBench.Machine.Locks;

namespace IrqBench.Machine.Vcpus;

/// <summary>
/// A thread of execution with its own time cursor: a vCPU, or a host thread (the VMM's device thread, an irqfd
/// worker). Hypervisor code runs "on" a context: it charges its work there and takes locks there.
/// </summary>
public abstract class ExecContext
{
    protected ExecContext(VirtualMachine vm) => Vm = vm;

    public VirtualMachine Vm { get; }

    /// <summary>This context's local time in cycles. It may run ahead of the event queue's clock inside a burst.</summary>
    public long Now { get; protected internal set; }

    /// <summary>Charges hypervisor work (handler code, LR accesses, bookkeeping).</summary>
    public abstract void ChargeHyp(long cycles);

    /// <summary>Which physical CPU's caches this context runs on: a vCPU's index (vCPUs are pinned, one per pCPU), or
    /// <see cref="HostCpu"/> for host threads. A cache line written under one owner and touched under another moves.</summary>
    public abstract int CpuOwner { get; }

    public const int HostCpu = -1;

    /// <summary>When the operation in progress began (a vCPU in an exit: the trap); for a host thread, now.</summary>
    public virtual long OperationStart => Now;

    /// <summary>Takes <paramref name="l"/> for <paramref name="holdCycles"/> of work under it: waits if another
    /// context holds it, then charges the uncontended lock cost and the work — and one cache-line transfer when the
    /// lock (and the data it protects) was last taken on another CPU.</summary>
    public void TakeLock(ModelLock l, long holdCycles)
    {
        long hold = holdCycles + Vm.Costs.LockUncontended;
        long transfer = Vm.Costs.LineTransfer;
        long got = l.Acquire(Now, hold, Vm.Queue.Now, CpuOwner, transfer, out bool moved);
        if (got > Now) ChargeHyp(got - Now);
        ChargeHyp(hold + (moved ? transfer : 0));
    }
}

/// <summary>A host thread (VMM device emulation, irqfd injection). Its time is not any vCPU's.</summary>
public sealed class HostContext : ExecContext
{
    internal HostContext(VirtualMachine vm) : base(vm) { }

    internal HostContext At(long time) { Now = time; return this; }

    public override int CpuOwner => HostCpu;

    public override void ChargeHyp(long cycles) => Now += cycles;
}
