using IrqBench.Gicv3.CpuInterface;
using IrqBench.Gicv3.Distributor;
using IrqBench.Gicv3.Its;
using IrqBench.Gicv3.Redistributor;
using IrqBench.Gicv3.Vgic;
using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Gicv3;

/// <summary>
/// The emulated GICv3 as KVM runs it (DESIGN §1, gicv3.md): every GICD/GICR access is a stage-2 abort handled by the
/// in-kernel vgic; ICC_SGI1R_EL1 traps; the other ICC registers are served by the virtual CPU interface from the list
/// registers, which the vgic fills on every entry and folds back on every exit.
/// </summary>
public sealed class Gicv3Controller : IIrqController
{
    private KvmVgic? vgic;
    private VirtualMachine? vm;

    public Gicv3Controller(Gicv3Config? config = null, string name = "gicv3")
    {
        Config = config ?? new Gicv3Config();
        Config.Validate();
        Name = name;
    }

    public string Name { get; }
    public Gicv3Config Config { get; }
    public bool TimerExpiryExits => true;

    internal KvmVgic Vgic => vgic ?? throw new InvalidOperationException("the GICv3 is not attached to a VM");
    internal DistributorRegisters Distributor { get; private set; } = null!;
    internal RedistributorRegisters Redistributors { get; private set; } = null!;
    internal VgicIts? Its { get; private set; }

    public void Attach(VirtualMachine vm)
    {
        this.vm = vm;
        vgic = new KvmVgic(vm, Config, new Gicv3Costs(vm.Profile));
        var router = vm.Router;
        Distributor = new DistributorRegisters(vgic, Config.HasIts, Config.Gicv41);
        Distributor.Map(router, Config.DistributorBase);
        Redistributors = new RedistributorRegisters(vgic, Config);
        Redistributors.Map(router);
        if (Config.HasIts)
        {
            Its = new VgicIts(vgic, Config.ItsBase, forwardLpis: Config.Gicv41);
            Its.Map(router);
            Redistributors.Lpis = new LpiRegisters(vgic, Its);
        }
        else new V2mFrame(Config.V2mFirstSpi, Config.V2mSpiCount).Map(router, Config.V2mBase);

        // Each ICC register: trapped to KVM's EL2 fast path when the VM's trap bits cover it, served by the virtual
        // CPU interface otherwise; the SGI generation registers always trap to the host's access_gic_sgi.
        var access = new CpuInterfaceAccess(vgic);
        var el2 = new TrappedInterfaceRegisters(vgic, access);
        var served = new VirtualInterfaceRegisters(vgic, access, el2);
        var sgi = new SgiGenerationRegisters(vgic);
        uint traps = Config.CpuifTrapBits;
        foreach (var r in IccSysRegs.Registers)
        {
            if (r.AlwaysTraps) router.MapSysreg(r.Reg, "ICC_SGIxR", sgi, trapped: true, Placement.HostKernel);
            else if (VirtualCpuInterface.Traps(r, traps, Config.HasTdir)) router.MapSysreg(r.Reg, r.Name, el2, trapped: true, Placement.El2);
            else router.MapSysreg(r.Reg, "ICC (ICV)", served, trapped: false);
        }
    }

    public void OnGuestExit(Vcpu cpu) => Vgic.Sync(Vgic.CpuOf(cpu));
    public void OnGuestEntry(Vcpu cpu) => Vgic.Flush(Vgic.CpuOf(cpu));
    public bool IrqLineAsserted(Vcpu cpu) => Vgic.CpuOf(cpu).Cpuif.VirtualIrq;
    /// <summary>
    /// kvm_vgic_vcpu_pending_irq, once the vCPU has left the guest. While it runs, its list registers are what the
    /// hardware sees: a WFI with nothing deliverable in them traps (and KVM then looks at the ap_list), so an
    /// interrupt still waiting in software does not make WFI complete without an exit.
    /// </summary>
    public bool HasPendingForWake(Vcpu cpu)
    {
        var c = Vgic.CpuOf(cpu);
        return !c.Loaded && (Vgic.PendingIrq(c) || c.HasDirectPending); // GICv4.1: the doorbell's pending_last
    }
    public void OnVirtualTimerExpired(Vcpu cpu) => Vgic.InjectTimer(Vgic.CpuOf(cpu));

    /// <summary>The vCPU's ap_list (pending or active interrupts, in list registers or not) and what overflowed it.</summary>
    public int PendingInterrupts(Vcpu cpu) => Vgic.CpuOf(cpu) is var c ? c.ApList.Count + c.Overflow.Count : 0;

    /// <summary>
    /// kvm_vcpu_should_clear_twi under the default policy: WFI traps unless the vCPU is alone on its pCPU (the model
    /// pins one vCPU per pCPU) and the hardware can wake it — a GICv4.1 guest that asked for vSGIs (GICD_CTLR.nASSGIreq).
    /// The emulated GICv3 always traps WFI: only KVM can tell a halted vCPU that an interrupt arrived.
    /// </summary>
    public bool TrapsWfi(Vcpu cpu) => Config.TrapWfi ?? !(Config.Gicv41 && Vgic.Dist.NassgiReq);

    /// <summary>
    /// A device's MSI. With an ITS the guest programmed GITS_TRANSLATER and the EventID: the VMM hands the write
    /// and the DeviceID to KVM (KVM_SIGNAL_MSI / irqfd), which translates it through the ITS; with GICv4.1 the
    /// devices are passthrough functions and the physical ITS does it with no host software. Without an ITS the
    /// guest programmed the GICv2m doorbell: the VMM raises the SPI named by the data as an edge (KVM_IRQ_LINE). A
    /// write anywhere else is dropped, as a stray DMA write would be.
    /// </summary>
    public void SignalMsi(HostContext host, DeviceId device, MsiMessage msi)
    {
        var v = Vgic;
        v.Vm.Metrics.MsisSignalled.Value++;
        if (Its is { } its)
        {
            if (msi.Address != Config.ItsBase + VgicIts.TranslaterOffset) return;
            if (its.ForwardLpis) { its.TranslateInHardware(host, device.Value, msi.Data); return; }
            host.ChargeHyp(v.Costs.MsiSignal);
            its.InjectMsi(host, device.Value, msi.Data);
            return;
        }
        host.ChargeHyp(v.Costs.MsiSignal);
        if (msi.Address != Config.V2mBase + V2mFrame.MsiSetSpiNs) return;
        uint spi = msi.Data;
        if (spi < Config.V2mFirstSpi || spi >= Config.V2mFirstSpi + Config.V2mSpiCount) return;
        v.Inject(host, v.GetIrq(null, spi)!, level: true);
    }

    /// <summary>KVM_IRQ_LINE for an SPI: the VMM (or a test) drives an SPI's input line. An edge SPI takes a rising
    /// edge as a new interrupt; a level SPI is pending while its line is high.</summary>
    public void SetSpiLevel(ExecContext from, uint intid, bool level)
    {
        if (intid < 32 || intid >= Vgic.Dist.NrIrqs) throw new ArgumentOutOfRangeException(nameof(intid), intid, "not an SPI of this VM");
        Vgic.Inject(from, Vgic.GetIrq(null, intid)!, level);
    }

    /// <summary>Called when the guest completes a level SPI whose list register asked for an EOI maintenance
    /// interrupt (the irqfd resample notification a VMM device would get).</summary>
    public Action<uint>? LevelSpiAcked { set => Vgic.LevelAcked = value; }
}
