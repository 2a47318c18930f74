using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Vcpus;
using IrqBench.Rvic.Abi;

namespace IrqBench.Rvic.Guest;

/// <summary>
/// The rvic-prio driver (rvic.md §12.4), in the mode of irq-gic-v3 with pseudo-NMIs: every interrupt keeps the default
/// priority 0xA0 except the CPU-stop IPIs, which Linux requests as NMIs (priority 0x20); the priority mask is 0xE0 with
/// interrupts on and 0x60 with them off, so local_irq_disable leaves NMIs deliverable. ACKNOWLEDGE makes an INTID
/// active rather than masked, so the completion is EOI alone: no CLEAR_MASKED.
/// </summary>
public sealed class RvicPrioGuestChip(VirtualMachine vm, RvicConfig dt) : RvicGuestChip(vm, dt), IGuestIrqChip
{
    /// <summary>The IPIs Linux's ipi_should_be_nmi requests as NMIs (CPU_STOP, CPU_CRASH_STOP) [unverified].</summary>
    public static readonly IpiKind[] NmiIpis = [IpiKind.CpuStop, IpiKind.CpuCrashStop];

    public override string Name => "rvic-prio";

    /// <summary>The base bring-up, then the NMI priorities and the interrupts-on mask.</summary>
    public override void InitCpu(Vcpu cpu)
    {
        base.InitCpu(cpu);
        foreach (var ipi in NmiIpis) Check(RvicCalls.SetPriority(cpu, cpu.Mpidr, (uint)ipi, RvicPrioFunctions.NmiPriority));
        Check(RvicCalls.SetPriorityMask(cpu, RvicPrioFunctions.MaskIrqOn));
    }

    /// <summary>EOI deactivates and drops the running priority; Linux's own mask is not ACKNOWLEDGE's business here.</summary>
    protected override void Complete(Vcpu cpu, uint intid) => Check(RvicCalls.PrioEoi(cpu, intid));

    /// <summary>An EOI of an INTID that is not active: rejected (ERROR_PARAMETER), as GIC ignores an EOI of 1023.</summary>
    internal override void IdleCompletion(Vcpu cpu) => RvicCalls.PrioEoi(cpu, (uint)IpiKind.CallFunction);

    /// <summary>local_irq_disable in pseudo-NMI mode: the priority mask to 0x60, a hypercall (it traps).</summary>
    public void LocalIrqDisable(Vcpu cpu) => Check(RvicCalls.SetPriorityMask(cpu, RvicPrioFunctions.MaskIrqOff));

    /// <summary>local_irq_enable: the priority mask back to 0xE0.</summary>
    public void LocalIrqEnable(Vcpu cpu) => Check(RvicCalls.SetPriorityMask(cpu, RvicPrioFunctions.MaskIrqOn));
}

/// <summary>
/// The rvic-level driver (rvic.md §13.4): besides MSIs, wired level-triggered rVID inputs (a UART's line). An input set
/// up with <see cref="SetupLevelIrq"/> is RESAMPLEd through the rVID on every EOI, before the unmask, as a trusted
/// level INTID is RESAMPLEd through the rVIC.
/// </summary>
public sealed class RvicLevelGuestChip(VirtualMachine vm, RvicConfig dt) : RvicGuestChip(vm, dt)
{
    private readonly HashSet<uint> levelIntids = [];

    public override string Name => "rvic-level";

    /// <summary>A wired level input the DT names (an input below the MSI window), activated as an MSI input is, then
    /// RESAMPLEd once so that a line already high when the mapping appeared is not missed.</summary>
    public DeviceIrq SetupLevelIrq(Vcpu cpu, DeviceId device, uint input, VcpuId affinity)
    {
        if (input >= (uint)Dt.MsiBase) throw new ArgumentOutOfRangeException(nameof(input), input, "a wired input lies below the MSI window");
        var irq = Activate(cpu, device, 0, input, default, affinity);
        levelIntids.Add((uint)irq.ChipData!);
        Check(RvicCalls.RvidResample(cpu, input));
        return irq;
    }

    protected override void Resample(Vcpu cpu, uint intid)
    {
        base.Resample(cpu, intid);
        if (levelIntids.Contains(intid) && DeviceFor(intid) is { } irq) Check(RvicCalls.RvidResample(cpu, irq.ChipIrq));
    }
}

/// <summary>
/// The rvic-msi driver (rvic.md §14.4): the MSI window and the doorbell come from RVID_MSI_INFO instead of the DT's
/// invented msi-range and the dummy 0xBA5E0000; a device's MSI address is the frame's SETINPUT register.
/// </summary>
public sealed class RvicMsiGuestChip(VirtualMachine vm, RvicConfig dt) : RvicGuestChip(vm, dt)
{
    private ulong doorbell;

    public override string Name => "rvic-msi";

    protected override (int First, int Count) ProbeMsiWindow(Vcpu cpu)
    {
        Require(RvicCalls.RvidMsiInfo(cpu, RvidMsiFunctions.InfoFrameAddress, out ulong frame), "RVID_MSI_INFO(0)");
        Require(RvicCalls.RvidMsiInfo(cpu, RvidMsiFunctions.InfoFirstInput, out ulong first), "RVID_MSI_INFO(1)");
        Require(RvicCalls.RvidMsiInfo(cpu, RvidMsiFunctions.InfoInputCount, out ulong count), "RVID_MSI_INFO(2)");
        doorbell = frame + MsiFrameLayout.SetInputOffset;
        return ((int)first, (int)count);
    }

    protected override ulong MsiAddress => doorbell;
}

/// <summary>The guest-visible layout of the rvic-msi frame (rvic.md §14.2).</summary>
public static class MsiFrameLayout
{
    public const ulong SetInputOffset = Variants.MsiFrameExtension.SetInputOffset;
}

/// <summary>
/// The rvic-fused driver, IrqBench's own design (rvic.md §15.4): the IRQ entry acknowledges once and then, for as long
/// as the completion is a CLEAR_MASKED on this CPU, completes each interrupt and acknowledges the next in one
/// COMPLETE_ACKNOWLEDGE, handling interrupts until it answers NO_INTERRUPTS. IPIs are completed after their handler
/// (an IPI sent meanwhile stays pending under the mask, so none is lost). A completion elsewhere (a masked interrupt,
/// an untrusted INTID whose affinity moved) is the base EOI and ends the loop.
/// </summary>
public sealed class RvicFusedGuestChip(VirtualMachine vm, RvicConfig dt) : RvicGuestChip(vm, dt)
{
    public override string Name => "rvic-fused";

    public override void HandleIrq(Vcpu cpu, IGuestIrqHandlers handlers)
    {
        if (!AcknowledgeFirst(cpu, out uint intid)) return;
        while (true)
        {
            RunHandler(cpu, intid, handlers);
            if (!CompletesOnSelf(cpu, intid)) { Eoi(cpu, intid); return; }
            Resample(cpu, intid);
            var s = RvicCalls.CompleteAcknowledge(cpu, intid, out intid);
            if (s.Reason == RvicReason.NoInterrupts || !Acknowledged(s, intid)) return;
        }
    }
}
