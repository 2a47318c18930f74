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
/// VMM wrote (<paramref name="dt"/>).
/// </summary>
public sealed class RvicGuestChip(VirtualMachine vm, RvicConfig dt) : IGuestIrqChip
{
    private int nrTrusted, nrUntrusted;
    private bool[][] trustedUnmasked = [];   // Linux's own per-CPU mask view of trusted INTIDs (§5.1 step 4)
    private DeviceIrq?[] byIntid = [];       // untrusted INTID - nrTrusted -> the device interrupt
    private IdAllocator untrusted = null!, msiInputs = null!;
    private readonly Counter warnings = vm.Metrics.Get("rvic_guest_warnings");

    public string Name => "rvic";

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
        msiInputs = new IdAllocator(dt.MsiCount, "MSI input");
    }

    /// <summary>Per-CPU bring-up (rvic.md §5.2): DISABLE, SET_MASKED and CLEAR_PENDING on every INTID, ENABLE; then
    /// enable_percpu_irq unmasks the IPIs and the timer.</summary>
    public void InitCpu(Vcpu cpu)
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
    public void HandleIrq(Vcpu cpu, IGuestIrqHandlers handlers)
    {
        var s = RvicCalls.Acknowledge(cpu, out uint intid);
        if (s.Reason == RvicReason.NoInterrupts) { vm.Metrics.SpuriousIrqs.Value++; return; }
        if (!s.IsSuccess || intid >= nrTrusted + nrUntrusted) { warnings.Value++; return; }
        if (intid < RvicConfig.IpiCount)
        {
            Eoi(cpu, intid);
            if (intid <= (uint)IpiKind.Wakeup) handlers.OnIpi(cpu, (IpiKind)intid);
            return;
        }
        if (intid == RvicConfig.TimerIntid) handlers.OnTimer(cpu);
        else if (intid >= nrTrusted && byIntid[intid - nrTrusted] is { } irq) handlers.OnDeviceIrq(cpu, irq);
        else warnings.Value++; // nobody requested it: handle_bad_irq
        Eoi(cpu, intid);
    }

    /// <summary>rvic_irq_eoi (rvic.md §5.4): RESAMPLE for a level trusted INTID, then CLEAR_MASKED unless Linux has the
    /// interrupt masked. Trusted INTIDs target this CPU, untrusted ones their effective affinity (§5.5).</summary>
    internal void Eoi(Vcpu cpu, uint intid)
    {
        if (intid < nrTrusted)
        {
            if (intid == RvicConfig.TimerIntid) Check(RvicCalls.Resample(cpu, intid));
            if (trustedUnmasked[cpu.Id.Value][intid]) Check(RvicCalls.ClearMasked(cpu, cpu.Mpidr, intid));
        }
        else if (byIntid[intid - nrTrusted] is { Masked: false } irq)
            Check(RvicCalls.ClearMasked(cpu, MpidrOf(irq.Affinity), intid));
    }

    /// <summary>
    /// An MSI for a device vector (rvic.md §4, §5.10): an input from the MSI window and an untrusted INTID (first fit),
    /// activated by MAP to the current CPU; request_irq then applies the affinity while the interrupt is still masked
    /// (the §5.11 sequence) and unmasks it. The message is the dummy doorbell with data = input.
    /// </summary>
    public DeviceIrq SetupDeviceIrq(Vcpu cpu, DeviceId device, uint vector, VcpuId affinity)
    {
        uint input = (uint)(dt.MsiBase + msiInputs.Allocate());
        uint intid = (uint)(nrTrusted + untrusted.Allocate());
        var irq = new DeviceIrq(device, vector, new MsiMessage(RvicConfig.MsiDoorbell, input), cpu.Id)
        {
            Masked = true, ChipIrq = input, ChipData = intid,
        };
        byIntid[intid - nrTrusted] = irq;
        Require(RvicCalls.Map(cpu, input, cpu.Mpidr, intid), "MAP");
        SetAffinity(cpu, irq, affinity);
        UnmaskDeviceIrq(cpu, irq);
        return irq;
    }

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
    private void Check(RvicStatus s)
    {
        if (!s.IsSuccess) warnings.Value++;
    }

    private static void Require(RvicStatus s, string call)
    {
        if (!s.IsSuccess) throw new InvalidOperationException($"rVIC guest driver: {call} failed with {s}");
    }

}
