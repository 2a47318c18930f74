using IrqBench.Gicv3.Registers;
using IrqBench.Gicv3.Vgic;

namespace IrqBench.Gicv3.Distributor;

/// <summary>
/// The per-IRQ register handlers shared by the distributor and the redistributors' SGI frames (KVM's vgic-mmio.c):
/// group, enable, pending, active, priority and configuration, each looping over the INTIDs the access covers. A
/// redistributor frame's accesses reach that frame's vCPU's private interrupts, not the caller's.
/// </summary>
internal sealed class IrqRegisterHandlers(KvmVgic vgic)
{
    private Gicv3Costs Costs => vgic.Costs;

    private VgicIrq Irq(in MmioAccess a, int i) =>
        vgic.GetIrq(a.Frame >= 0 ? vgic.Cpus[a.Frame] : null, a.IntId + (uint)i)
        ?? throw new InvalidOperationException($"INTID {a.IntId + i} passed the range check but does not exist");

    /// <summary>A read that loops without locks (vgic_mmio_read_enable, _group, _priority, _config).</summary>
    private ulong ReadBits(in MmioAccess a, int bitsPerIrq, Func<VgicIrq, ulong> field)
    {
        ulong v = 0;
        int n = a.IrqCount(bitsPerIrq);
        for (int i = 0; i < n; i++)
        {
            a.Cpu.ChargeHyp(Costs.MmioPerIrq);
            v |= field(Irq(a, i)) << (i * bitsPerIrq);
        }
        return v;
    }

    // ---- IGROUPR: guest-configurable groups (implementation revision >= 2) --------------------------------

    public ulong ReadGroup(in MmioAccess a) => ReadBits(a, 1, static irq => irq.Group);

    public void WriteGroup(in MmioAccess a, ulong value)
    {
        int n = a.IrqCount(1);
        for (int i = 0; i < n; i++)
        {
            var irq = Irq(a, i);
            vgic.LockIrq(a.Cpu, irq, Costs.MmioPerIrq);
            irq.Group = (byte)((value >> i) & 1);
            vgic.QueueIrqUnlock(a.Cpu, irq);
        }
    }

    // ---- ISENABLER / ICENABLER ----------------------------------------------------------------------------

    public ulong ReadEnable(in MmioAccess a) => ReadBits(a, 1, static irq => irq.Enabled ? 1UL : 0);

    /// <summary>vgic_mmio_write_senable: a mapped level interrupt resamples its line first (and drops the physical
    /// active state if it went low while disabled); then the interrupt may be queued.</summary>
    public void WriteSetEnable(in MmioAccess a, ulong value)
    {
        foreach (int i in SetBits(value))
        {
            var irq = Irq(a, i);
            vgic.LockIrq(a.Cpu, irq, Costs.MmioPerIrq);
            if (irq.IsMappedLevel)
            {
                bool wasHigh = irq.LineLevel;
                irq.LineLevel = irq.InputLevel!();
                if (!irq.Active && wasHigh && !irq.LineLevel) irq.PhysActive = false;
            }
            irq.Enabled = true;
            vgic.QueueIrqUnlock(a.Cpu, irq);
        }
    }

    /// <summary>vgic_mmio_write_cenable: only clears the enable; an interrupt already in a list register stays there
    /// until the next exit.</summary>
    public void WriteClearEnable(in MmioAccess a, ulong value)
    {
        foreach (int i in SetBits(value))
        {
            var irq = Irq(a, i);
            vgic.LockIrq(a.Cpu, irq, Costs.MmioPerIrq);
            irq.Enabled = false;
        }
    }

    // ---- ISPENDR / ICPENDR: software state, no halt (it may lag the list registers) -------------------------

    public ulong ReadPending(in MmioAccess a)
    {
        ulong v = 0;
        int n = a.IrqCount(1);
        for (int i = 0; i < n; i++)
        {
            var irq = Irq(a, i);
            vgic.LockIrq(a.Cpu, irq, Costs.MmioPerIrq);
            bool p = irq.IsMappedLevel ? irq.InputLevel!() : irq.IsPending || irq.DirectPending;
            if (p) v |= 1UL << i;
        }
        return v;
    }

    /// <summary>vgic_mmio_write_spending: sets the latch (a HW interrupt also becomes physically active, so the host
    /// does not take the real one meanwhile) and queues.</summary>
    public void WriteSetPending(in MmioAccess a, ulong value)
    {
        foreach (int i in SetBits(value))
        {
            var irq = Irq(a, i);
            vgic.LockIrq(a.Cpu, irq, Costs.MmioPerIrq);
            if (irq.DirectInjection) { vgic.V4SetPending(a.Cpu, irq, true); continue; } // GICv4.1 vSGI
            if (!irq.IsPending) irq.Origin = a.Cpu.Vm.Raise(a.Cpu);
            irq.PendingLatch = true;
            if (irq.Hw) irq.PhysActive = true;
            vgic.QueueIrqUnlock(a.Cpu, irq);
        }
    }

    /// <summary>vgic_mmio_write_cpending: clears only the latch; a level interrupt with its line high stays
    /// pending.</summary>
    public void WriteClearPending(in MmioAccess a, ulong value)
    {
        foreach (int i in SetBits(value))
        {
            var irq = Irq(a, i);
            vgic.LockIrq(a.Cpu, irq, Costs.MmioPerIrq);
            if (irq.DirectInjection) { vgic.V4SetPending(a.Cpu, irq, false); continue; }
            irq.PendingLatch = false;
            if (irq.Hw && !irq.Active) irq.PhysActive = false;
        }
    }

    // ---- ISACTIVER / ICACTIVER: stop-the-world ------------------------------------------------------------

    public ulong ReadActive(in MmioAccess a)
    {
        var caller = vgic.CpuOf(a.Cpu);
        vgic.HaltGuest(caller);
        ulong v = 0;
        int n = a.IrqCount(1);
        for (int i = 0; i < n; i++)
        {
            var irq = Irq(a, i);
            vgic.LockIrq(a.Cpu, irq, Costs.MmioPerIrq);
            if (vgic.IsActive(irq)) v |= 1UL << i;
        }
        vgic.ResumeGuest(caller);
        return v;
    }

    public void WriteSetActive(in MmioAccess a, ulong value) => ChangeActive(a, value, true);
    public void WriteClearActive(in MmioAccess a, ulong value) => ChangeActive(a, value, false);

    private void ChangeActive(in MmioAccess a, ulong value, bool active)
    {
        var caller = vgic.CpuOf(a.Cpu);
        vgic.HaltGuest(caller);
        foreach (int i in SetBits(value)) vgic.ChangeActive(a.Cpu, Irq(a, i), active);
        vgic.ResumeGuest(caller);
    }

    // ---- IPRIORITYR: byte-accessible, unimplemented low bits RAZ/WI ---------------------------------------

    public ulong ReadPriority(in MmioAccess a) => ReadBits(a, 8, static irq => irq.Priority);

    /// <summary>vgic_mmio_write_priority: narrowed to the implemented bits. An interrupt already in a list register
    /// keeps its old priority until the next flush.</summary>
    public void WritePriority(in MmioAccess a, ulong value)
    {
        byte mask = (byte)(0xFF << (8 - vgic.Config.PriorityBits));
        int n = a.IrqCount(8);
        for (int i = 0; i < n; i++)
        {
            var irq = Irq(a, i);
            vgic.LockIrq(a.Cpu, irq, Costs.MmioPerIrq);
            irq.Priority = (byte)((value >> (i * 8)) & mask);
        }
    }

    // ---- ICFGR: SGIs are always edge, PPIs read-only level (KVM) ------------------------------------------

    public ulong ReadConfig(in MmioAccess a) => ReadBits(a, 2, static irq => irq.Level ? 0UL : 2UL);

    public void WriteConfig(in MmioAccess a, ulong value)
    {
        int n = a.IrqCount(2);
        for (int i = 0; i < n; i++)
        {
            var irq = Irq(a, i);
            if (irq.IsPrivate) continue;
            vgic.LockIrq(a.Cpu, irq, Costs.MmioPerIrq);
            irq.Level = ((value >> (i * 2 + 1)) & 1) == 0;
        }
    }

    private static SetBitEnumerator SetBits(ulong value) => new(value);

    /// <summary>for_each_set_bit, without allocating.</summary>
    internal struct SetBitEnumerator(ulong bits)
    {
        private ulong rest = bits;
        public int Current { get; private set; }
        public readonly SetBitEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (rest == 0) return false;
            Current = System.Numerics.BitOperations.TrailingZeroCount(rest);
            rest &= rest - 1;
            return true;
        }
    }
}
