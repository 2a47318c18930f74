using System.Numerics;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Gicv3.Vgic;

internal sealed partial class KvmVgic
{
    /// <summary>
    /// vgic_v3_dispatch_sgi for a trapped write of ICC_SGI1R_EL1 (allowGroup1) or ICC_SGI0R/ASGI1R_EL1: IRM = 1 targets
    /// every vCPU but the sender; otherwise each set bit k of TargetList names Aff3.Aff2.Aff1.k. RS is ignored (KVM
    /// advertises no RSS). A target that does not exist is skipped.
    /// </summary>
    public void DispatchSgi(VgicCpu sender, ulong reg, bool allowGroup1)
    {
        var cpu = sender.Vcpu;
        cpu.ChargeHyp(Costs.SgiDecode);
        uint sgi = (uint)(reg >> 24) & 0xF;
        if ((reg & (1UL << 40)) != 0)
        {
            foreach (var c in Cpus)
                if (c != sender) QueueSgi(cpu, c, sgi, allowGroup1);
            return;
        }
        ulong mpidr = (((reg >> 48) & 0xFF) << 32) | (((reg >> 32) & 0xFF) << 16) | (((reg >> 16) & 0xFF) << 8);
        uint targets = (uint)reg & 0xFFFF;
        while (targets != 0)
        {
            uint aff0 = (uint)BitOperations.TrailingZeroCount(targets);
            targets &= targets - 1;
            if (MpidrToVcpu(mpidr | aff0) is { } c) QueueSgi(cpu, c, sgi, allowGroup1);
            else cpu.ChargeHyp(Costs.SgiTarget);
        }
    }

    /// <summary>vgic_v3_queue_sgi: an access for Group 0 SGIs can only generate those; a software SGI sets its latch
    /// and is queued (its enable is the oracle's business).</summary>
    public void QueueSgi(ExecContext from, VgicCpu target, uint sgi, bool allowGroup1)
    {
        var irq = target.Private[sgi];
        from.ChargeHyp(Costs.SgiTarget);
        SgiTargets.Value++;
        LockIrq(from, irq);
        if (irq.Group != 0 && !allowGroup1) return;
        if (irq.DirectInjection)
        {
            // GICv4.1 vSGI: ask the GIC to make it pending; the receiver takes it with no exit.
            from.ChargeHyp(Costs.V4VsgiSend);
            MakeDirectPending(from, irq);
            return;
        }
        if (!irq.IsPending) irq.Origin = Vm.Raise(from);
        irq.PendingLatch = true;
        QueueIrqUnlock(from, irq);
    }
}
