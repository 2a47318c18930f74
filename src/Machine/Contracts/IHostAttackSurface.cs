using IrqBench.Machine.Vcpus;

namespace IrqBench.Machine.Contracts;

/// <summary>
/// What an untrusted host can try against a protected guest's interrupts, through whatever the design leaves within
/// its reach (under pKVM: the host kernel and the VMM, not the trusted EL2). Each method attempts the attack with the
/// means the design really gives the host — writing the vgic's state and list registers it owns, calling into EL2,
/// asserting rVID inputs — and returns whether the design accepted it. Whether it worked is decided by what the
/// guest then observes (the trust harness watches deliveries), never by this answer or by the design's name.
/// </summary>
public interface IHostAttackSurface
{
    /// <summary>Make IPI <paramref name="ipi"/> pending on <paramref name="target"/>: an IPI no guest vCPU sent.</summary>
    bool InjectIpi(HostContext host, Vcpu target, int ipi);

    /// <summary>Make the virtual timer's interrupt pending on <paramref name="target"/> though its timer did not fire.</summary>
    bool FireTimer(HostContext host, Vcpu target);

    /// <summary>Mask or unmask a trusted (per-vCPU) interrupt the guest configured otherwise.</summary>
    bool SetTrustedMask(HostContext host, Vcpu target, int intid, bool masked);

    /// <summary>Move a trusted interrupt already signalled to <paramref name="from"/> over to <paramref name="to"/>.</summary>
    bool Retarget(HostContext host, Vcpu from, Vcpu to, int intid);

    /// <summary>Drop a trusted interrupt already signalled to <paramref name="target"/> before the guest takes it.</summary>
    bool Drop(HostContext host, Vcpu target, int intid);

    /// <summary>Unmask a device interrupt the guest masked (<see cref="IGuestIrqChip.MaskDeviceIrq"/>), so that what the
    /// device signals reaches the guest.</summary>
    bool UnmaskDevice(HostContext host, DeviceIrq irq);

    /// <summary>Deliver a device interrupt the guest routed elsewhere to <paramref name="to"/>.</summary>
    bool ChangeRouting(HostContext host, DeviceIrq irq, Vcpu to);
}
