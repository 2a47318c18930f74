using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Rvic.Hypervisor;

/// <summary>
/// The untrusted host's attacks on an rVIC guest (rvic.md §16.1), each made with the operation the host would use for
/// it (<see cref="RvicHostOp"/>) through <see cref="RvicController.HostCall"/>: under vhe/nvhe the host kernel runs
/// the function on state it holds; under pkvm it can only issue the host calls EL2 serves, and EL2 serves none of
/// these but the assertion of an input the guest mapped. Each answer is whether the operation was carried out; what
/// the guest then observes is the verdict.
/// </summary>
public sealed class RvicHostSurface : IHostAttackSurface
{
    private readonly RvicController c;

    public RvicHostSurface(RvicController controller, Organisation organisation)
    {
        if (controller.Organisation != organisation)
            throw new ArgumentException($"the controller is attached to a {controller.Organisation} VM, not {organisation}", nameof(organisation));
        c = controller;
    }

    /// <summary>An IPI is a trusted INTID: the host pends it as the kernel's injection path would.</summary>
    public bool InjectIpi(HostContext host, Vcpu target, int ipi) => Pend(host, target, ipi);

    /// <summary>The timer's trusted INTID raised as the timer code raises it: line high, then pending.</summary>
    public bool FireTimer(HostContext host, Vcpu target) =>
        c.HostCall(host, RvicHostOp.RaiseLine, On(target, (int)RvicConfig.TimerIntid));

    public bool SetTrustedMask(HostContext host, Vcpu target, int intid, bool masked) =>
        c.HostCall(host, masked ? RvicHostOp.SetMasked : RvicHostOp.ClearMasked, On(target, intid));

    /// <summary>Takes the pending bit off <paramref name="from"/> and sets it on <paramref name="to"/>.</summary>
    public bool Retarget(HostContext host, Vcpu from, Vcpu to, int intid) =>
        c.HostCall(host, RvicHostOp.ClearPending, On(from, intid)) && Pend(host, to, intid);

    public bool Drop(HostContext host, Vcpu target, int intid) => c.HostCall(host, RvicHostOp.ClearPending, On(target, intid));

    /// <summary>CLEAR_MASKED of the device's INTID on the vCPU the guest routed it to, as the host would run it.</summary>
    public bool UnmaskDevice(HostContext host, DeviceIrq irq) =>
        irq.ChipData is uint intid && c.HostCall(host, RvicHostOp.ClearMasked, On(host.Vm.Vcpus[irq.Affinity.Value], (int)intid));

    /// <summary>Rewrites the rVID route of the device's input to <paramref name="to"/> (the same INTID), unmasks that
    /// INTID there (the guest left its copy on other vCPUs masked) and asserts the input, so the interrupt arrives
    /// there now; once a step is refused the host goes no further.</summary>
    public bool ChangeRouting(HostContext host, DeviceIrq irq, Vcpu to)
    {
        if (irq.ChipData is not uint intid) return false;
        return c.HostCall(host, RvicHostOp.Map, new HostArgs(irq.ChipIrq, (ulong)to.Id.Value, intid))
            && c.HostCall(host, RvicHostOp.ClearMasked, On(to, (int)intid))
            && c.HostCall(host, RvicHostOp.AssertInput, new HostArgs(irq.ChipIrq));
    }

    private bool Pend(HostContext host, Vcpu target, int intid) => c.HostCall(host, RvicHostOp.Pend, On(target, intid));

    private static HostArgs On(Vcpu target, int intid) => new((ulong)target.Id.Value, (ulong)intid);
}
