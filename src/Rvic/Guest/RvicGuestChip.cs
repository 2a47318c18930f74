using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Metrics;
using IrqBench.Machine.Vcpus;
using IrqBench.Rvic.Abi;

namespace IrqBench.Rvic.Guest;

/// <summary>
/// A model of Linux's irq-rvic and irq-rvid drivers (rvic.md §5): every operation is the hypercalls they issue.
/// INTIDs 0–15 are IPIs, the virtual timer is trusted level INTID 27, device MSIs are rVID inputs from the MSI window
/// mapped to untrusted INTIDs. The guest only learns the INTID counts by INFO; the MSI window comes from the DT the
/// VMM wrote (<paramref name="dt"/>). The variants' drivers (rvic.md §12–§15) change the hooks.
/// </summary>
public class RvicGuestChip(VirtualMachine vm, RvicConfig dt) : IGuestIrqChip
{
    private int nrTrusted, nrUntrusted;
    private bool[][] trustedUnmasked = [];   // Linux's own per-CPU mask view of trusted INTIDs (§5.1 step 4)
    private DeviceIrq?[] byIntid = [];       // untrusted INTID - nrTrusted -> the device interrupt
    private IdAllocator untrusted = null!, msiInputs = null!;
    private int msiBase;
    private readonly Counter warnings = vm.Metrics.Get("rvic_guest_warnings");

    public virtual string Name => "rvic";

    protected VirtualMachine Vm => vm;
    protected RvicConfig Dt => dt;

    /// <summary>Probe (rvic.md §5.1): VERSION ≥ 0.3, INFO for both counts; the rVID's VERSION likewise.</summary>
    public void InitBootCpu(Vcpu cpu)
    {
        Require(RvicCalls.Version(cpu, out ulong v), "VERSION");
        Require(RvicCalls.RvidVersion(cpu, out ulong rv), "rVID VERSION");
        if (v < RvicAbi.Version || rv < RvicAbi.Version)
            throw new InvalidOperationException($"rVIC guest driver: version 0x{v:X}/0x{rv:X} below 0.3");
        Require(RvicCalls.Info(cpu, RvicAbi.InfoNrTrusted, out ulong t), "INFO(0)");
        Require(RvicCalls.Info(cpu, RvicAbi.InfoNrUntrusted, out ulong u), "INFO(1)");
        nrTrusted = (int)t;
        nrUntrusted = (int)u;
        trustedUnmasked = vm.Vcpus.Select(_ => new bool[nrTrusted]).ToArray();
        byIntid = new DeviceIrq?[nrUntrusted];
        untrusted = new IdAllocator(nrUntrusted, "untrusted INTID");
        (msiBase, int msiCount) = ProbeMsiWindow(cpu);
        msiInputs = new IdAllocator(msiCount, "MSI input");
    }

    /// <summary>The rVID inputs that carry MSIs: the DT's <c>msi-range</c> in the prototype (rvic.md §4).</summary>
    protected virtual (int First, int Count) ProbeMsiWindow(Vcpu cpu) => (dt.MsiBase, dt.MsiCount);

    /// <summary>The address a device's MSI is written to: the prototype's dummy doorbell (rvic.md §4).</summary>
    protected virtual ulong MsiAddress => RvicConfig.MsiDoorbell;

    /// <summary>Per-CPU bring-up (rvic.md §5.2): DISABLE, SET_MASKED and CLEAR_PENDING on every INTID, ENABLE; then
    /// enable_percpu_irq unmasks the IPIs and the timer.</summary>
    public virtual void InitCpu(Vcpu cpu)
    {
        if (trustedUnmasked.Length == 0) throw new InvalidOperationException("rVIC guest driver: InitBootCpu (probe) must run first");
        RvicCalls.Disable(cpu);
        for (uint i = 0; i < nrTrusted + nrUntrusted; i++)
        {
            RvicCalls.SetMasked(cpu, cpu.Mpidr, i);
            RvicCalls.ClearPending(cpu, cpu.Mpidr, i);
        }
        RvicCalls.Enable(cpu);
        Array.Clear(trustedUnmasked[cpu.Id.Value]);
        for (uint ipi = 0; ipi < RvicConfig.IpiCount; ipi++) UnmaskTrusted(cpu, ipi);
        UnmaskTrusted(cpu, RvicConfig.TimerIntid);
    }

    /// <summary>rvic_ipi_send_mask: one SIGNAL per target CPU, no multicast (rvic.md §5.7).</summary>
    public void SendIpi(Vcpu from, IpiKind kind, ReadOnlySpan<VcpuId> targets)
    {
        foreach (var t in targets)
        {
            vm.Metrics.IpisSent.Value++;
            Check(RvicCalls.Signal(from, vm.Vcpus[t.Value].Mpidr, (uint)kind));
        }
    }

    /// <summary>rvic_handle_irq (rvic.md §5.3): one ACKNOWLEDGE per exception; NO_INTERRUPTS is spurious. IPIs are
    /// EOIed before their handler (handle_percpu_devid_fasteoi_ipi), everything else after.</summary>
    public virtual void HandleIrq(Vcpu cpu, IGuestIrqHandlers handlers)
    {
        if (!AcknowledgeFirst(cpu, out uint intid)) return;
        if (intid < RvicConfig.IpiCount) Eoi(cpu, intid);
        RunHandler(cpu, intid, handlers);
        if (intid >= RvicConfig.IpiCount) Eoi(cpu, intid);
    }

    /// <summary>The exception's ACKNOWLEDGE: false for NO_INTERRUPTS (spurious) or a failure (WARN).</summary>
    protected bool AcknowledgeFirst(Vcpu cpu, out uint intid)
    {
        var s = RvicCalls.Acknowledge(cpu, out intid);
        if (s.Reason == RvicReason.NoInterrupts) { vm.Metrics.SpuriousIrqs.Value++; return false; }
        return Acknowledged(s, intid);
    }

    /// <summary>Whether an acknowledge-like call delivered a usable INTID; a failure or an INTID out of range WARNs.</summary>
    protected bool Acknowledged(RvicStatus s, uint intid)
    {
        if (s.IsSuccess && intid < nrTrusted + nrUntrusted) return true;
        warnings.Value++;
        return false;
    }

    /// <summary>The flow handler's call into Linux: an IPI, the timer, a device; an INTID nobody requested is
    /// handle_bad_irq (a WARN). IPIs Linux does not use have no handler.</summary>
    protected void RunHandler(Vcpu cpu, uint intid, IGuestIrqHandlers handlers)
    {
        if (intid < RvicConfig.IpiCount)
        {
            if (intid <= (uint)IpiKind.Wakeup) handlers.OnIpi(cpu, (IpiKind)intid);
        }
        else if (intid == RvicConfig.TimerIntid) handlers.OnTimer(cpu);
        else if (intid >= nrTrusted && byIntid[intid - nrTrusted] is { } irq) handlers.OnDeviceIrq(cpu, irq);
        else warnings.Value++;
    }

    /// <summary>rvic_irq_eoi (rvic.md §5.4): RESAMPLE for a level INTID, then the completion proper.</summary>
    internal void Eoi(Vcpu cpu, uint intid)
    {
        Resample(cpu, intid);
        Complete(cpu, intid);
    }

    /// <summary>The level part of the EOI: RESAMPLE of the timer, the one level trusted INTID (rvic.md §5.4).</summary>
    protected virtual void Resample(Vcpu cpu, uint intid)
    {
        if (intid == RvicConfig.TimerIntid) Check(RvicCalls.Resample(cpu, intid));
    }

    /// <summary>CLEAR_MASKED unless Linux has the interrupt masked. Trusted INTIDs target this CPU, untrusted ones
    /// their effective affinity (§5.5).</summary>
    protected virtual void Complete(Vcpu cpu, uint intid)
    {
        if (intid < nrTrusted)
        {
            if (trustedUnmasked[cpu.Id.Value][intid]) Check(RvicCalls.ClearMasked(cpu, cpu.Mpidr, intid));
        }
        else if (byIntid[intid - nrTrusted] is { Masked: false } irq)
            Check(RvicCalls.ClearMasked(cpu, MpidrOf(irq.Affinity), intid));
    }

    /// <summary>Whether completing <paramref name="intid"/> is exactly CLEAR_MASKED on this CPU's own instance.</summary>
    protected bool CompletesOnSelf(Vcpu cpu, uint intid) => intid < nrTrusted
        ? trustedUnmasked[cpu.Id.Value][intid]
        : byIntid[intid - nrTrusted] is { Masked: false } irq && irq.Affinity == cpu.Id;

    /// <summary>The <c>eoi</c> micro-benchmark's completion of an INTID that is not active: the driver's EOI of an
    /// edge IPI (base: one CLEAR_MASKED on self).</summary>
    internal virtual void IdleCompletion(Vcpu cpu) => Eoi(cpu, (uint)IpiKind.CallFunction);

    /// <summary>
    /// An MSI for a device vector (rvic.md §4, §5.10): an input from the MSI window and an untrusted INTID (first fit),
    /// activated by MAP to the current CPU; request_irq then applies the affinity while the interrupt is still masked
    /// (the §5.11 sequence) and unmasks it. The message is the doorbell with data = input.
    /// </summary>
    public DeviceIrq SetupDeviceIrq(Vcpu cpu, DeviceId device, uint vector, VcpuId affinity)
    {
        uint input = (uint)(msiBase + msiInputs.Allocate());
        return Activate(cpu, device, vector, input, new MsiMessage(MsiAddress, input), affinity);
    }

    /// <summary>An rVID input of the device's, activated: an untrusted INTID, MAP to this CPU, the affinity applied
    /// while masked, then unmasked.</summary>
    protected DeviceIrq Activate(Vcpu cpu, DeviceId device, uint vector, uint input, MsiMessage msi, VcpuId affinity)
    {
        uint intid = (uint)(nrTrusted + untrusted.Allocate());
        var irq = new DeviceIrq(device, vector, msi, cpu.Id) { Masked = true, ChipIrq = input, ChipData = intid };
        byIntid[intid - nrTrusted] = irq;
        Require(RvicCalls.Map(cpu, input, cpu.Mpidr, intid), "MAP");
        SetAffinity(cpu, irq, affinity);
        UnmaskDeviceIrq(cpu, irq);
        return irq;
    }

    /// <summary>The device interrupt behind untrusted <paramref name="intid"/>, if one was set up.</summary>
    protected DeviceIrq? DeviceFor(uint intid) => intid >= nrTrusted && intid - nrTrusted < byIntid.Length ? byIntid[intid - nrTrusted] : null;

    /// <summary>rvid_irq_set_affinity, in the exact order of rvic.md §5.11: mask old (if unmasked), mask new, MAP,
    /// move the pending bit from old to new, unmask new (if it was unmasked). The old CPU's copy stays masked.</summary>
    public void SetAffinity(Vcpu cpu, DeviceIrq irq, VcpuId target)
    {
        if (target == irq.Affinity) return;
        uint intid = (uint)irq.ChipData!;
        Mpidr oldCpu = MpidrOf(irq.Affinity), newCpu = MpidrOf(target);
        bool wasUnmasked = !irq.Masked;
        if (wasUnmasked) Check(RvicCalls.SetMasked(cpu, oldCpu, intid));
        Check(RvicCalls.SetMasked(cpu, newCpu, intid));
        Require(RvicCalls.Map(cpu, irq.ChipIrq, newCpu, intid), "MAP");
        Check(RvicCalls.IsPending(cpu, oldCpu, intid, out bool pending));
        if (pending) Check(RvicCalls.ClearPending(cpu, oldCpu, intid));
        if (pending) Check(RvicCalls.Signal(cpu, newCpu, intid));
        if (wasUnmasked) Check(RvicCalls.ClearMasked(cpu, newCpu, intid));
        irq.Affinity = target;
    }

    public void MaskDeviceIrq(Vcpu cpu, DeviceIrq irq)
    {
        irq.Masked = true;
        Check(RvicCalls.SetMasked(cpu, MpidrOf(irq.Affinity), (uint)irq.ChipData!));
    }

    public void UnmaskDeviceIrq(Vcpu cpu, DeviceIrq irq)
    {
        irq.Masked = false;
        Check(RvicCalls.ClearMasked(cpu, MpidrOf(irq.Affinity), (uint)irq.ChipData!));
    }

    private void UnmaskTrusted(Vcpu cpu, uint intid)
    {
        trustedUnmasked[cpu.Id.Value][intid] = true;
        Check(RvicCalls.ClearMasked(cpu, cpu.Mpidr, intid));
    }

    private Mpidr MpidrOf(VcpuId id) => vm.Vcpus[id.Value].Mpidr;

    /// <summary>The driver WARNs on a failed call and carries on (e.g. SIGNAL to a CPU whose instance is disabled).</summary>
    protected void Check(RvicStatus s)
    {
        if (!s.IsSuccess) warnings.Value++;
    }

    protected static void Require(RvicStatus s, string call)
    {
        if (!s.IsSuccess) throw new InvalidOperationException($"rVIC guest driver: {call} failed with {s}");
    }
}
