using IrqBench.Gicv3.CpuInterface;

namespace IrqBench.Gicv3.Vgic;

internal sealed partial class KvmVgic
{
    /// <summary>
    /// kvm_vgic_flush_hwstate before guest entry: fill the list registers from the ap_list in list order (sorted
    /// when it does not fit), configure ICH_HCR_EL2 for the overflow policy, and restore the CPU interface. An entry
    /// aborted by a request after a flush (a kick that found the vCPU in the hypervisor) first folds that flush back,
    /// as KVM's run loop does.
    /// </summary>
    public void Flush(VgicCpu c)
    {
        var cpu = c.Vcpu;
        if (c.Loaded) Sync(c);
        if (c.PruneRequested)
        {
            c.PruneRequested = false; // KVM_REQ_VGIC_PROCESS_UPDATE → kvm_vgic_process_async_update
            Prune(c);
        }
        c.MaintenancePending = false;
        uint hcr = IchHcr.En | Config.CpuifTrapBits; // compute_ich_hcr: the VM's trap bits on every entry
        // v6.12: "If there are no virtual interrupts active or pending for this VCPU, then there is no work to do".
        if (!(Config.Policy == OverflowPolicy.Kvm612 && c.ApList.IsEmpty))
            hcr |= FlushLrState(c);
        if (c.UsedLrs > 0 || Config.Gicv41) cpu.ChargeHyp(Costs.CpuifRestore); // __vgic_v3_restore_state: as the save
        c.Cpuif.Hcr = hcr;
        c.Loaded = true;
        CheckMaintenance(c);
    }

    /// <summary>vgic_flush_lr_state under the ap_list_lock; returns the ICH_HCR_EL2 maintenance and trap bits.</summary>
    private uint FlushLrState(VgicCpu c)
    {
        var cpu = c.Vcpu;
        int nrLr = Config.ListRegisters;
        cpu.TakeLock(c.ApListLock, Costs.ApListWalk * c.ApList.Count);

        // summarize_ap_list (v6.19) / compute_ap_list_depth (v6.12), each entry under its irq_lock
        int nrPend = 0, nrAct = 0, nrSgi = 0;
        for (var irq = c.ApList.Head; irq is not null; irq = irq.Next)
        {
            LockIrq(cpu, irq);
            if (Kvm619 && Oracle(irq) != c) continue;
            if (irq.Active) nrAct++; else nrPend++;
            if (irq.IsSgi) nrSgi++;
        }
        bool outside = nrPend + nrAct > nrLr;
        if (outside)
        {
            Vm.Metrics.LrOverflows.Value++;
            Vm.Trace?.Instant(c.Vcpu.Id.Value, "LR overflow", c.Vcpu.Now);
            SortApList(c);
        }

        int count = 0;
        VgicIrq? last = null, irqAfterStop = null;
        for (var irq = c.ApList.Head; irq is not null; irq = irq.Next)
        {
            LockIrq(cpu, irq);
            if (Oracle(irq) == c)
            {
                PopulateLr(c, irq, count++);
                last = irq;
            }
            if (count == nrLr)
            {
                irqAfterStop = irq.Next;
                break;
            }
        }
        c.UsedLrs = count;

        uint hcr = 0;
        if (!Kvm619)
        {
            // vgic_set_underflow: more entries than fitted
            if (irqAfterStop is not null) hcr |= IchHcr.Uie;
            return hcr;
        }

        // vgic_v3_configure_hcr
        bool activeOutside = nrAct > 0 && outside;
        if (nrPend > nrLr) hcr |= IchHcr.NpIe;
        if (activeOutside) hcr |= IchHcr.LrEnPie;
        if (outside) hcr |= IchHcr.Uie;
        if (nrSgi == 0) hcr |= IchHcr.VSgiEoiCount;
        hcr |= c.Cpuif.GetGroupEnable(0) ? IchHcr.VGrp0Die : IchHcr.VGrp0Eie;
        hcr |= c.Cpuif.GetGroupEnable(1) ? IchHcr.VGrp1Die : IchHcr.VGrp1Eie;
        if (!Config.HasTdir || activeOutside || Dist.ActiveSpis != 0) hcr |= IchHcr.Tdir;

        // The rest of the list becomes the overflow list, whose EOIcount deactivations the next exit replays.
        if (count > 0 && last!.Next is { } firstOverflow) c.ApList.MoveTailTo(firstOverflow, c.Overflow);
        return hcr;
    }

    /// <summary>vgic_v3_compute_lr: the LR value for an interrupt, without consuming its pending state.</summary>
    private static ulong ComputeLr(VgicIrq irq, out bool pending)
    {
        ulong val = irq.IntId;
        bool allowPending = true;
        if (irq.Active) val |= IchLr.StateActive;
        if (irq.Hw)
        {
            // The pending state of a HW interrupt lives in the physical GIC: never pending + active.
            val |= IchLr.Hw | (((ulong)irq.HwIntId << IchLr.PhysIdShift) & IchLr.PhysIdMask);
            if (irq.Active) allowPending = false;
        }
        else if (irq.Level)
        {
            // An EOI maintenance interrupt lets KVM resample the line; software resampling does not do P + A.
            val |= IchLr.Eoi;
            if (irq.Active) allowPending = false;
        }
        pending = allowPending && irq.IsPending;
        if (pending) val |= IchLr.StatePending;
        if (irq.Group != 0) val |= IchLr.Group;
        val |= (ulong)irq.Priority << IchLr.PriorityShift;
        return val;
    }

    /// <summary>vgic_v3_populate_lr: writes the LR; an edge interrupt's pending latch moves into it, and a mapped
    /// level interrupt's line is lowered so that the next rising edge is seen.</summary>
    private void PopulateLr(VgicCpu c, VgicIrq irq, int lr)
    {
        ulong val = ComputeLr(irq, out bool pending);
        if (pending)
        {
            if (!irq.Level) irq.PendingLatch = false;
            if (irq.IsMappedLevel) irq.LineLevel = false;
        }
        c.Cpuif.SetLr(lr, val);
        irq.OnLr = true;
        if (pending) irq.InjectedAt = c.Vcpu.Now;
        c.Vcpu.ChargeHyp(Costs.LrWrite);
        Vm.Metrics.LrWrites.Value++;
        Vm.Trace?.Instant(c.Vcpu.Id.Value, irq.TraceLrLabel, c.Vcpu.Now);
    }

    /// <summary>vgic_sort_ap_list: a stable sort (list_sort is a stable merge sort) with vgic_irq_cmp, each
    /// comparison under both interrupts' irq_locks.</summary>
    private void SortApList(VgicCpu c)
    {
        var cpu = c.Vcpu;
        int n = c.ApList.Count;
        if (c.SortScratch.Length < n) c.SortScratch = new VgicIrq[Math.Max(n, c.SortScratch.Length * 2)];
        var a = c.SortScratch.AsSpan(0, n);
        int k = 0;
        for (var irq = c.ApList.Head; irq is not null; irq = irq.Next) a[k++] = irq;
        // Insertion sort: stable, and the lists are short.
        for (int i = 1; i < n; i++)
        {
            var x = a[i];
            int j = i - 1;
            while (j >= 0)
            {
                LockIrq(cpu, a[j]);
                LockIrq(cpu, x);
                cpu.ChargeHyp(Costs.ApListSort);
                if (Compare(a[j], x) <= 0) break;
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = x;
        }
        c.ApList.Relink(a);
        a.Clear();
    }

    /// <summary>vgic_irq_cmp. v6.12: active first ("active interrupts can never be pushed out of the LRs"), then
    /// pending, then priority. v6.19: pending and not active first, then priority, then HW before non-HW.</summary>
    private int Compare(VgicIrq a, VgicIrq b)
    {
        if (!Kvm619)
        {
            if (a.Active || b.Active) return B(b.Active) - B(a.Active);
            bool pa = a.Enabled && a.IsPending, pb = b.Enabled && b.IsPending;
            if (!pa || !pb) return B(pb) - B(pa);
            return a.Priority - b.Priority;
        }
        bool penda = a.Enabled && a.IsPending && !a.Active, pendb = b.Enabled && b.IsPending && !b.Active;
        int r = B(pendb) - B(penda);
        if (r != 0) return r;
        r = a.Priority - b.Priority;
        return r != 0 ? r : B(b.Hw) - B(a.Hw);
    }

    private static int B(bool v) => v ? 1 : 0;
}
