using IrqBench.Machine.Contracts;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Machine.Ideal;

/// <summary>The guest driver of the ideal controller: every operation is free and issues no architectural access.</summary>
public sealed class IdealGuestIrqChip(VirtualMachine vm, IdealController controller) : IGuestIrqChip
{
    private uint nextDeviceVector = IdealController.FirstDeviceVector;
    private readonly Dictionary<int, DeviceIrq> byVector = new();

    public string Name => "ideal";

    public void InitBootCpu(Vcpu cpu) { }

    public void InitCpu(Vcpu cpu)
    {
        for (int ipi = 0; ipi < 16; ipi++) controller.SetEnabled(cpu, ipi, true);
        controller.SetEnabled(cpu, IdealController.TimerVector, true);
    }

    public void SendIpi(Vcpu from, IpiKind kind, ReadOnlySpan<VcpuId> targets)
    {
        foreach (var t in targets)
        {
            vm.Metrics.IpisSent.Value++;
            controller.Raise(from, vm.Vcpus[t.Value], (int)kind);
        }
    }

    public void HandleIrq(Vcpu cpu, IGuestIrqHandlers handlers)
    {
        int v = controller.Acknowledge(cpu);
        if (v < 0) { vm.Metrics.SpuriousIrqs.Value++; return; }
        if (v < 16) handlers.OnIpi(cpu, (IpiKind)v);
        else if (v == IdealController.TimerVector) handlers.OnTimer(cpu);
        else if (byVector.TryGetValue(v, out var irq)) handlers.OnDeviceIrq(cpu, irq);
    }

    public DeviceIrq SetupDeviceIrq(Vcpu cpu, DeviceId device, uint vector, VcpuId affinity)
    {
        uint v = nextDeviceVector++;
        if (v >= IdealController.VectorCount) throw new InvalidOperationException("ideal controller: out of device vectors");
        var irq = new DeviceIrq(device, vector, Message(affinity, v), affinity) { ChipIrq = v };
        byVector[(int)v] = irq;
        foreach (var c in vm.Vcpus) controller.SetEnabled(c, (int)v, true);
        return irq;
    }

    public void SetAffinity(Vcpu cpu, DeviceIrq irq, VcpuId target)
    {
        irq.Affinity = target;
        irq.Msi = Message(target, irq.ChipIrq);
    }

    public void MaskDeviceIrq(Vcpu cpu, DeviceIrq irq)
    {
        irq.Masked = true;
        foreach (var c in vm.Vcpus) controller.SetEnabled(c, (int)irq.ChipIrq, false);
    }

    public void UnmaskDeviceIrq(Vcpu cpu, DeviceIrq irq)
    {
        irq.Masked = false;
        foreach (var c in vm.Vcpus) controller.SetEnabled(c, (int)irq.ChipIrq, true);
    }

    private static MsiMessage Message(VcpuId target, uint vector) =>
        new(IdealController.MsiDoorbell, ((uint)target.Value << 16) | vector);

    /// <summary>The kit the Harness registers under "ideal".</summary>
    public static ControllerKit Kit => new("ideal",
        () => new IdealController(),
        vm => new IdealGuestIrqChip(vm, (IdealController)vm.Controller),
        () => [],
        IdealController.Primitives);
}
