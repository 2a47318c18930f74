using IrqBench.Gicv3.CpuInterface;
using IrqBench.Machine;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Metrics;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Gicv3.Vgic;

/// <summary>
/// KVM's vgic for one VM (arch/arm64/kvm/vgic/vgic.c and vgic-v3.c): per-interrupt state objects, per-vCPU ap_lists,
/// injection as "queue, then kick", the list-register flush on entry and the fold and prune on exit, SGI dispatch,
/// and stop-the-world around active-state accesses. Every lock it takes and every list register it touches is
/// charged on the context doing the work.
/// </summary>
internal sealed partial class KvmVgic
{
    /// <summary>The virtual timer's PPI and the physical PPI it is mapped to (the EL1 virtual timer, INTID 27).</summary>
    public const uint VtimerPpi = 27;

    public KvmVgic(VirtualMachine vm, Gicv3Config config, Gicv3Costs costs)
    {
        config.Validate();
        Vm = vm;
        Config = config;
        Costs = costs;
        Machine = vm.Costs;
        Cpus = vm.Vcpus.Select(v => new VgicCpu(this, v, config)).ToArray();
        Dist = new VgicDist(this, config.SpiCount);
        var m = vm.Metrics;
        MaintenanceRaised = m.Get("gicv3.maintenance_irqs");
        EoiCountReplays = m.Get("gicv3.eoicount_deactivations");
        DirTraps = m.Get("gicv3.dir_traps");
        LevelAcks = m.Get("gicv3.level_eoi_notifications");
        BroadcastKicks = m.Get("gicv3.spi_broadcast_kicks");
        ApListMigrations = m.Get("gicv3.ap_list_migrations");
        SgiTargets = m.Get("gicv3.sgi_targets");
        V4Doorbells = m.Get("gicv3.v4_doorbells");
        foreach (var c in Cpus)
        {
            MapVtimer(c);
            // The first KVM_RUN flushes an empty ap_list before the vCPU's first instruction.
            c.Cpuif.Hcr = IchHcr.En | config.CpuifTrapBits;
            c.Loaded = true;
        }
    }

    public VirtualMachine Vm { get; }
    public Gicv3Config Config { get; }
    public Gicv3Costs Costs { get; }
    public MachinePrimitives Machine { get; }
    public VgicCpu[] Cpus { get; }
    public VgicDist Dist { get; }
    public bool Kvm619 => Config.Policy == OverflowPolicy.Kvm619;

    public Counter MaintenanceRaised { get; }
    public Counter EoiCountReplays { get; }
    public Counter DirTraps { get; }
    public Counter LevelAcks { get; }
    public Counter BroadcastKicks { get; }
    public Counter ApListMigrations { get; }
    public Counter SgiTargets { get; }
    public Counter V4Doorbells { get; }

    /// <summary>Called when the guest completes a level-triggered SPI that asked for an EOI maintenance interrupt
    /// (kvm_notify_acked_irq: irqfd resamplefd, the VMM re-evaluating the line).</summary>
    public Action<uint>? LevelAcked { get; set; }

    public VgicCpu CpuOf(Vcpu v) => Cpus[v.Id.Value];

    /// <summary>vgic_get_vcpu_irq: a private interrupt of <paramref name="cpu"/>, an SPI, an LPI, or null.</summary>
    public VgicIrq? GetIrq(VgicCpu? cpu, uint intid)
    {
        if (intid < 32) return cpu?.Private[intid];
        if (intid < Dist.NrIrqs) return Dist.Spis[intid - 32];
        if (intid >= 8192) return GetLpi(intid);
        return null;
    }

    /// <summary>kvm_mpidr_to_vcpu.</summary>
    public VgicCpu? MpidrToVcpu(ulong mpidr) => Vm.FindVcpu(new Mpidr(mpidr)) is { } v ? Cpus[v.Id.Value] : null;

    /// <summary>vgic_target_oracle: an active interrupt stays where it is; an enabled pending one goes to its target
    /// (if the distributor is enabled); anything else goes nowhere.</summary>
    public VgicCpu? Oracle(VgicIrq irq)
    {
        if (irq.Active) return irq.Vcpu ?? irq.TargetVcpu;
        if (irq.Enabled && irq.IsPending)
            return irq.TargetVcpu is not null && !Dist.Enabled ? null : irq.TargetVcpu;
        return null;
    }

    /// <summary>Takes an interrupt's irq_lock for <paramref name="work"/> cycles of work under it.</summary>
    public void LockIrq(ExecContext ctx, VgicIrq irq, long work = 0) => ctx.TakeLock(irq.Lock, work);

    // ---- the virtual timer (kvm_vgic_map_phys_irq from the arch timer) --------------------------------------

    private void MapVtimer(VgicCpu c)
    {
        var irq = c.Private[VtimerPpi];
        var timer = c.Vcpu.Timer;
        irq.Hw = true;
        irq.HwIntId = VtimerPpi;
        irq.InputLevel = () => timer.Asserted;
    }

    /// <summary>The vtimer's physical PPI fired and the host's timer code calls kvm_timer_update_irq(level = 1): the
    /// host leaves the physical interrupt active until the guest deactivates the HW-mapped LR.</summary>
    public void InjectTimer(VgicCpu c)
    {
        var irq = c.Private[VtimerPpi];
        irq.PhysActive = true;
        Inject(c.Vcpu, irq, level: true);
    }

    /// <summary>The guest deactivated a HW = 1 list register: the physical interrupt is deactivated. If its line is
    /// still high it fires again in the host (a timer the guest did not mask or reprogram).</summary>
    public void PhysicalDeactivate(VgicCpu c, uint pintid)
    {
        if (pintid != VtimerPpi) return;
        var irq = c.Private[VtimerPpi];
        irq.PhysActive = false;
        if (irq.InputLevel!()) c.Vcpu.Timer.SetDeadline(c.Vcpu.Timer.Deadline);
    }

    // ---- injection: kvm_vgic_inject_irq / vgic_queue_irq_unlock -------------------------------------------

    /// <summary>
    /// kvm_vgic_inject_irq: a level interrupt accepts only a change of its line, an edge interrupt only a rising
    /// edge (which sets the pending latch); then the interrupt is queued and its target kicked. Returns whether the
    /// injection was valid.
    /// </summary>
    public bool Inject(ExecContext from, VgicIrq irq, bool level)
    {
        LockIrq(from, irq);
        if (irq.Level ? irq.LineLevel == level : !level) return false;
        bool wasPending = irq.IsPending;
        if (irq.Level) irq.LineLevel = level; else irq.PendingLatch = true;
        if (!wasPending && irq.IsPending) irq.Origin = Vm.Raise(from);
        QueueIrqUnlock(from, irq);
        return true;
    }

    /// <summary>
    /// vgic_queue_irq_unlock, entered with the irq_lock held: if the interrupt has somewhere to go and is on no
    /// ap_list, take the target's ap_list_lock (then the irq_lock again), append it and kick the target. An interrupt
    /// already queued still gets its target kicked: an edge re-asserted while in an LR gives no maintenance interrupt.
    /// </summary>
    public bool QueueIrqUnlock(ExecContext from, VgicIrq irq)
    {
        if (irq.DirectInjection)
        {
            // GICv4.1: never on an ap_list; a pending one that became deliverable is signalled by the hardware.
            if (irq.DirectPending && irq.TargetVcpu is { } t) SignalDirect(from, t, irq);
            return false;
        }
        var target = Oracle(irq);
        if (irq.Vcpu is not null || target is null)
        {
            if (target is not null) Kick(from, target);
            return false;
        }
        from.TakeLock(target.ApListLock, Costs.IrqQueue);
        LockIrq(from, irq);
        // Single-threaded: nothing can have changed between the two lock acquisitions, so KVM's retry never runs.
        target.ApList.AddTail(irq);
        irq.Vcpu = target;
        // v6.19: the first SPI queued makes every vCPU re-enter with ICH_HCR_EL2.TDIR set.
        bool broadcast = Kvm619 && Config.HasTdir && irq.IsSpi && Dist.ActiveSpis++ == 0;
        if (broadcast)
        {
            BroadcastKicks.Value++;
            foreach (var c in Cpus) Kick(from, c);
        }
        else Kick(from, target);
        return true;
    }

    /// <summary>kvm_make_request(KVM_REQ_IRQ_PENDING) + kvm_vcpu_kick.</summary>
    public void Kick(ExecContext from, VgicCpu target) => Vm.Kick(from, target.Vcpu);

    /// <summary>vgic_kick_vcpus: every vCPU that now has something deliverable.</summary>
    public void KickVcpusWithPending(ExecContext from)
    {
        foreach (var c in Cpus)
            if (PendingIrq(c)) Kick(from, c);
    }

    /// <summary>kvm_vgic_vcpu_pending_irq: is anything on the ap_list pending, enabled, not active and above the
    /// priority mask? (It ignores the running priority and the group enables, as KVM does.)</summary>
    public bool PendingIrq(VgicCpu c)
    {
        if (!Dist.Enabled) return false;
        byte pmr = c.Cpuif.Pmr;
        return AnyPending(c.ApList, pmr) || AnyPending(c.Overflow, pmr);
    }

    private static bool AnyPending(ApList list, byte pmr)
    {
        for (var irq = list.Head; irq is not null; irq = irq.Next)
            if (irq.IsPending && irq.Enabled && !irq.Active && irq.Priority < pmr) return true;
        return false;
    }

    /// <summary>The guest acknowledged <paramref name="intid"/> on <paramref name="c"/>: the delivery metrics.</summary>
    public void RecordAcknowledge(VgicCpu c, uint intid)
    {
        if (GetIrq(c, intid) is { } irq) Vm.Deliver(c.Vcpu, KindOf(intid), irq.Origin, irq.InjectedAt);
    }

    /// <summary>SGIs are IPIs, PPI 27 the virtual timer, INTIDs 32–1019 SPIs, 8192 and up LPIs (GICv3 INTID map).</summary>
    private static IrqKind KindOf(uint intid) => intid switch
    {
        < 16 => IrqKind.Ipi,
        VtimerPpi => IrqKind.Timer,
        < 32 => IrqKind.Other,
        < 1020 => IrqKind.Spi,
        >= 8192 => IrqKind.Msi,
        _ => IrqKind.Other,
    };

    /// <summary>Raises the maintenance interrupt of a running vCPU once per entry (the exit it causes re-evaluates).</summary>
    public void CheckMaintenance(VgicCpu c)
    {
        if (c.MaintenancePending || !c.Loaded || !c.Cpuif.MaintenanceAsserted) return;
        c.MaintenancePending = true;
        MaintenanceRaised.Value++;
        Vm.RaiseMaintenance(c.Vcpu);
    }
}
