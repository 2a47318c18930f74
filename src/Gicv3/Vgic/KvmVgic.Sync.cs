using IrqBench.Gicv3.CpuInterface;

namespace IrqBench.Gicv3.Vgic;

internal sealed partial class KvmVgic
{
    /// <summary>
    /// kvm_vgic_sync_hwstate after a guest exit: save the used list registers (and EOIcount when LRENPIE asked for
    /// it), fold their state back into the interrupts, replay EOIcount deactivations on the overflow list (v6.19), and
    /// prune the ap_list.
    /// </summary>
    public void Sync(VgicCpu c)
    {
        var cpu = c.Vcpu;
        if (!c.Loaded) return;
        // __vgic_v3_save_state touches the CPU interface only with list registers in use or a GICv4 vPE (KVM since
        // 4.16's "Optimize KVM/ARM for VHE systems"); an exit with nothing in the LRs costs it nothing.
        if (c.UsedLrs > 0 || Config.Gicv41) cpu.ChargeHyp(Costs.CpuifSave);
        c.Loaded = false;
        var cpuif = c.Cpuif;
        uint hcr = cpuif.Hcr;
        cpuif.Hcr = 0;
        // v6.12: "An empty ap_list_head implies used_lrs == 0".
        if (Config.Policy == OverflowPolicy.Kvm612 && c.ApList.IsEmpty) return;

        int used = c.UsedLrs;
        Span<ulong> lrs = stackalloc ulong[16];
        for (int i = 0; i < used; i++)
        {
            lrs[i] = cpuif.GetLr(i);
            cpuif.SetLr(i, 0);
            cpu.ChargeHyp(Costs.LrRead);
        }
        Vm.Metrics.LrReads.Value += used;
        c.UsedLrs = 0;
        for (int i = 0; i < used; i++) FoldLr(c, lrs[i]);

        if (Kvm619)
        {
            // EOImode 0 deactivates in reverse acknowledge order, so each EOI counted in EOIcount belongs to the next
            // active interrupt of the overflow list (vgic_v3_fold_lr_state).
            uint eoiCount = (hcr & IchHcr.LrEnPie) != 0 ? IchHcr.EoiCount(hcr) : 0;
            for (var irq = c.Overflow.Head; irq is not null && eoiCount > 0; irq = irq.Next)
            {
                LockIrq(cpu, irq);
                if (Oracle(irq) != c || !irq.Active) continue;
                FoldDeactivated(c, irq);
                EoiCountReplays.Value++;
                eoiCount--;
            }
        }
        Prune(c);
        // A WFI exit: KVM's kvm_vcpu_halt checks kvm_vgic_vcpu_pending_irq (on the state just folded) before it
        // blocks, and does not block if something is pending. The machine halts the vCPU after the exit, so the
        // vgic tells it at once that its IRQ input has something (for any other exit the entry flush follows and
        // this is a no-op).
        if (PendingIrq(c)) Vm.NotifyIrqLine(cpu, cpu);
    }

    /// <summary>A deactivation of an interrupt outside the list registers, as vgic_v3_fold_lr_state (EOIcount) and
    /// vgic_v3_deactivate (DIR) do it: a pseudo-LR of its state without the active bit, the physical interrupt of a HW
    /// one deactivated, folded like a real one.</summary>
    private void FoldDeactivated(VgicCpu c, VgicIrq irq)
    {
        ulong lr = ComputeLr(irq, out _) & ~IchLr.StateActive;
        if ((lr & IchLr.Hw) != 0) PhysicalDeactivate(c, IchLr.PIntId(lr));
        FoldLr(c, lr);
    }

    /// <summary>vgic_v3_fold_lr: the LR's active bit is copied back; an edge interrupt still pending in the LR gets
    /// its latch back; a level interrupt the guest acknowledged loses its soft-pending state; mapped level interrupts
    /// are resampled; an EOI maintenance LR of an SPI notifies the line's owner.</summary>
    private void FoldLr(VgicCpu c, ulong val)
    {
        uint intid = IchLr.VIntId(val);
        var irq = GetIrq(c, intid);
        if (irq is null) return; // an LPI unmapped meanwhile
        LockIrq(c.Vcpu, irq);
        bool deactivated = irq.Active && !IchLr.IsActive(val);
        irq.Active = IchLr.IsActive(val) && !(Kvm619 && irq.IsLpi);
        if (!irq.Level && IchLr.IsPending(val)) irq.PendingLatch = true;
        if (irq.Level && !IchLr.IsValid(val)) irq.PendingLatch = false;
        HandleResampling(irq, deactivated, IchLr.IsPending(val));
        irq.OnLr = false;
        if (IchLr.SignalsEoi(val) && irq.IsSpi)
        {
            LevelAcks.Value++;
            if (Kvm619 && Dist.ActiveSpis > 0) Dist.ActiveSpis--;
            LevelAcked?.Invoke(intid);
        }
    }

    /// <summary>vgic_irq_handle_resampling: a mapped level interrupt only shows rising edges, so if the guest never
    /// took it, or deactivated it with the line seen high, the physical line is sampled again; a low line also clears
    /// the physical active state so that the next assertion is seen.</summary>
    private static void HandleResampling(VgicIrq irq, bool lrDeactivated, bool lrPending)
    {
        if (!irq.IsMappedLevel) return;
        if (lrPending || (lrDeactivated && irq.LineLevel))
        {
            irq.LineLevel = irq.InputLevel!();
            if (!irq.LineLevel) irq.PhysActive = false;
        }
    }

    /// <summary>
    /// vgic_prune_ap_list: re-run the oracle on every entry (the overflow list spliced back first); drop what goes
    /// nowhere, and move what now belongs to another vCPU to its ap_list (both ap_list_locks, lowest vCPU first) and
    /// kick it, restarting the walk after each move as KVM does.
    /// </summary>
    public void Prune(VgicCpu c)
    {
        var cpu = c.Vcpu;
        c.ApList.SpliceTail(c.Overflow);
    retry:
        cpu.TakeLock(c.ApListLock, Costs.ApListWalk * c.ApList.Count);
        for (var irq = c.ApList.Head; irq is not null;)
        {
            var next = irq.Next;
            LockIrq(cpu, irq);
            var target = Oracle(irq);
            if (target is null)
            {
                c.ApList.Remove(irq);
                irq.Vcpu = null;
                if (irq.IsLpi && !irq.Mapped) ReleaseLpi(irq);
            }
            else if (target != c)
            {
                var (a, b) = c.Index < target.Index ? (c, target) : (target, c);
                cpu.TakeLock(a.ApListLock, 0);
                cpu.TakeLock(b.ApListLock, 0);
                LockIrq(cpu, irq);
                c.ApList.Remove(irq);
                target.ApList.AddTail(irq);
                        irq.Vcpu = target;
                ApListMigrations.Value++;
                Kick(cpu, target);
                goto retry;
            }
            irq = next;
        }
    }
}
