using IrqBench.Gicv3.CpuInterface;
using IrqBench.Gicv3.Distributor;
using IrqBench.Gicv3.Redistributor;
using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Vcpus;
using D = IrqBench.Gicv3.Registers.Gicd;
using R = IrqBench.Gicv3.Registers.Gicr;

namespace IrqBench.Gicv3.Guest;

/// <summary>
/// Linux's irq-gic-v3 driver (drivers/irqchip/irq-gic-v3.c, 6.x) in a KVM guest, as the architectural accesses it
/// makes: distributor and redistributor set-up, the CPU interface's system registers, one ICC_SGI1R_EL1 write per
/// affinity cluster for an IPI, IAR → handler → EOIR per interrupt with EOImode 0 (a guest kernel entered at EL1
/// has no supports_deactivate), mask/unmask through ICENABLER/ISENABLER and affinity through IROUTER. Device
/// interrupts are LPIs through the ITS (<see cref="ItsGuestDriver"/>) when the distributor reports LPIs, GICv2m
/// MSIs (SPIs raised by the VMM) otherwise. Offered SGIs without active state (GICD_TYPER2.nASSGIcap, GICv4.1),
/// it asks for them, as Linux does since 5.8. Booted with irqchip.gicv3_pseudo_nmi=1
/// (<see cref="Gicv3Config.GuestPseudoNmi"/>) it masks interrupts through ICC_PMR_EL1 instead of PSTATE.I: see
/// <see cref="LocalIrqDisable"/> and <see cref="HandleIrq"/>.
/// </summary>
public sealed class Gicv3GuestDriver : IGuestIrqChip
{
    /// <summary>GICD_INT_DEF_PRI: Linux's default priority for every interrupt; DEFAULT_PMR_VALUE.</summary>
    public const byte DefaultPriority = 0xA0, DefaultPmr = 0xF0;

    /// <summary>The arm64 IPIs Linux sets up (IpiKind 0..6), one SGI each.</summary>
    public const int IpiCount = 7;

    /// <summary>Pseudo-NMI priority masking (arch/arm64/include/asm/ptrace.h, irq-gic-v3.c, Linux 5.10–6.9, the era of
    /// the driver's GICD_INT_DEF_PRI 0xA0): GIC_PRIO_IRQON lets interrupts and NMIs through; GIC_PRIO_IRQOFF
    /// (IRQON &amp; ~0x80, the single-security-state value KVM's GICD_CTLR.DS = 1 selects) masks the 0xA0 interrupts;
    /// GIC_PRIO_PSR_I_SET marks "PSTATE.I does the masking"; GICD_INT_NMI_PRI is what RPR reads in an NMI.</summary>
    public const byte PrioIrqOn = 0xE0, PrioIrqOff = PrioIrqOn & ~0x80, PrioPsrISet = 1 << 4, NmiPriority = DefaultPriority & ~0x80;

    /// <summary>How deeply local_irq_save may nest on one CPU in the model.</summary>
    public const int MaxIrqSaveDepth = 16;

    private const ulong WakerProcessorSleep = 1u << 1;

    private readonly VirtualMachine vm;
    private readonly Gicv3Config config;
    private readonly ulong gicd;
    private readonly ulong[] rdBase;
    private readonly Dictionary<uint, DeviceIrq> devices = new();
    private readonly VcpuId[] sortScratch;
    private readonly GuestPageAllocator pages = new();
    private int gicIrqs;
    private uint v2mFirst, v2mCount, v2mNext;
    private bool group0, nassgi;
    private readonly long iarBarrier;
    private readonly bool pseudoNmi;
    private readonly ulong[,] savedFlags;
    private readonly int[] saveDepth;

    public Gicv3GuestDriver(VirtualMachine vm, Gicv3Controller gic)
    {
        this.vm = vm;
        iarBarrier = vm.Profile.Get(Gicv3Costs.Section, "iar_dsb");
        config = gic.Config;
        gicd = config.DistributorBase;
        rdBase = new ulong[vm.Vcpus.Count];
        sortScratch = new VcpuId[vm.Vcpus.Count];
        pseudoNmi = config.GuestPseudoNmi;
        savedFlags = new ulong[vm.Vcpus.Count, MaxIrqSaveDepth];
        saveDepth = new int[vm.Vcpus.Count];
    }

    /// <summary>irqchip.gicv3_pseudo_nmi=1: interrupts are masked through ICC_PMR_EL1 (ARM64_HAS_GIC_PRIO_MASKING).</summary>
    public bool PseudoNmi => pseudoNmi;

    public string Name => "gicv3";

    /// <summary>The ITS driver, when the GIC has LPIs.</summary>
    public ItsGuestDriver? Its { get; private set; }

    // ---- boot CPU: gic_init_bases --------------------------------------------------------------------------

    public void InitBootCpu(Vcpu cpu)
    {
        // gic_validate_dist_version, then the ID and type registers and the quirk table (GICD_IIDR)
        if ((cpu.MmioRead(gicd + D.Pidr2, 4) & 0xF0) != 0x30)
            throw new InvalidOperationException("irq-gic-v3: no GICv3 distributor");
        uint typer = (uint)cpu.MmioRead(gicd + D.Typer, 4);
        gicIrqs = Math.Min(32 * (int)((typer & 0x1F) + 1), 1020);
        nassgi = (cpu.MmioRead(gicd + D.Typer2, 4) & (1u << 8)) != 0;
        cpu.MmioRead(gicd + D.Iidr, 4);

        // gic_update_rdist_properties: every redistributor frame, PIDR2 then TYPER
        for (int i = 0; i < vm.Vcpus.Count; i++)
        {
            ulong rd = RedistributorRegisters.FrameAddress(config, i);
            cpu.MmioRead(rd + R.Pidr2, 4);
            cpu.MmioRead(rd + R.Typer, 8);
        }

        DistInit(cpu);

        // gic_has_group0: is Group 0 ours (PMR keeps a priority in the secure half)?
        ulong oldPmr = cpu.SysregRead(IccSysRegs.Pmr);
        cpu.SysregWrite(IccSysRegs.Pmr, 1u << (8 - PriBits(cpu)));
        group0 = cpu.SysregRead(IccSysRegs.Pmr) != 0;
        cpu.SysregWrite(IccSysRegs.Pmr, oldPmr);

        // gic_enable_nmi_support: a PMR write needs a DSB to reach the redistributor only with ICC_CTLR_EL1.PMHE,
        // which KVM's virtual CPU interface leaves clear (so gic_pmr_sync stays off and pmr_sync() is nothing).
        if (pseudoNmi) cpu.SysregRead(IccSysRegs.Ctlr);

        if ((typer & (1u << 17)) != 0)
        {
            // its_init: the ITS and its tables
            Its = new ItsGuestDriver(vm, config.ItsBase, pages);
            Its.Probe(cpu, (int)((typer >> 19) & 0x1F) + 1);
            return;
        }
        // gicv2m_init: the MSI frame's SPI range (a VMM-emulated register: an exit to user space)
        ulong v2mTyper = cpu.MmioRead(config.V2mBase + V2mFrame.MsiTyper, 4);
        v2mFirst = (uint)(v2mTyper >> 16) & 0x3FF;
        v2mCount = (uint)v2mTyper & 0x3FF;
        v2mNext = 0;
    }

    /// <summary>gic_dist_init: disable, all SPIs Group 1, level, default priority, deactivated and disabled, enable
    /// with affinity routing, route every SPI to the boot CPU.</summary>
    private void DistInit(Vcpu cpu)
    {
        cpu.MmioWrite(gicd + D.Ctlr, 4, 0);
        DistWaitForRwp(cpu);
        for (int i = 32; i < gicIrqs; i += 32) cpu.MmioWrite(gicd + D.IGroupR + (ulong)(i / 8), 4, 0xFFFF_FFFF);
        // gic_dist_config
        for (int i = 32; i < gicIrqs; i += 16) cpu.MmioWrite(gicd + D.ICfgR + (ulong)(i / 4), 4, 0);
        for (int i = 32; i < gicIrqs; i += 4) cpu.MmioWrite(gicd + D.IPriorityR + (ulong)i, 4, DefaultPriority * 0x0101_0101u);
        for (int i = 32; i < gicIrqs; i += 32)
        {
            cpu.MmioWrite(gicd + D.ICActiveR + (ulong)(i / 8), 4, 0xFFFF_FFFF);
            cpu.MmioWrite(gicd + D.ICEnableR + (ulong)(i / 8), 4, 0xFFFF_FFFF);
        }
        DistWaitForRwp(cpu);
        // ARE_NS | EnableGrp1A | EnableGrp1, and nASSGIreq when the GIC offers SGIs without active state
        cpu.MmioWrite(gicd + D.Ctlr, 4, 0x10 | 0x2 | 0x1 | (nassgi ? D.CtlrNassgiReq : 0));
        DistWaitForRwp(cpu);
        ulong affinity = Affinity(cpu.Id);
        for (int i = 32; i < gicIrqs; i++) cpu.MmioWrite(gicd + D.IRouteR + (ulong)i * 8, 8, affinity);
    }

    // ---- every CPU: gic_starting_cpu → gic_cpu_init, then ipi_setup and the timer's enable_percpu_irq ------

    public void InitCpu(Vcpu cpu)
    {
        // init_gic_priority_masking (the ARM64_HAS_GIC_PRIO_MASKING capability, before the GIC's own set-up): PSTATE.I
        // still masks, and PMR says so.
        if (pseudoNmi) cpu.SysregWrite(IccSysRegs.Pmr, PrioIrqOn | PrioPsrISet);
        ulong rd = PopulateRdist(cpu);
        rdBase[cpu.Id.Value] = rd;
        ulong sgi = rd + Gicv3Config.FrameSize;

        // gic_enable_redist(true): wake the redistributor, wait for ChildrenAsleep to clear
        ulong waker = cpu.MmioRead(rd + R.Waker, 4);
        cpu.MmioWrite(rd + R.Waker, 4, waker & ~WakerProcessorSleep);
        cpu.MmioRead(rd + R.Waker, 4);

        // SGIs and PPIs non-secure Group 1, then gic_cpu_config: deactivate and disable, default priority, SGIs on
        cpu.MmioWrite(sgi + R.IGroupR0, 4, 0xFFFF_FFFF);
        cpu.MmioWrite(sgi + R.ICActiveR0, 4, 0xFFFF_FFFF);
        cpu.MmioWrite(sgi + R.ICEnableR0, 4, 0xFFFF_FFFF);
        for (int i = 0; i < 32; i += 4) cpu.MmioWrite(sgi + R.IPriorityR + (ulong)i, 4, DefaultPriority * 0x0101_0101u);
        cpu.MmioWrite(sgi + R.ISEnableR0, 4, 0x0000_FFFF);
        RedistWaitForRwp(cpu);

        // gic_cpu_sys_reg_init: DEFAULT_PMR_VALUE unless PMR does the masking (then it keeps its IRQON value)
        cpu.SysregRead(IccSysRegs.Sre);
        if (!pseudoNmi) cpu.SysregWrite(IccSysRegs.Pmr, DefaultPmr);
        cpu.SysregWrite(IccSysRegs.Bpr1, 0);
        cpu.SysregWrite(IccSysRegs.Ctlr, 0); // EOImode 0: EOI drops priority and deactivates
        int pribits = PriBits(cpu);
        int aprs = pribits switch { 8 or 7 => 4, 6 => 2, _ => 1 };
        if (group0)
            for (int n = aprs - 1; n >= 0; n--) cpu.SysregWrite(IccSysRegs.Ap0r(n), 0);
        for (int n = aprs - 1; n >= 0; n--) cpu.SysregWrite(IccSysRegs.Ap1r(n), 0);
        cpu.SysregWrite(IccSysRegs.Igrpen1, 1);

        // ipi_setup: enable_percpu_irq of each IPI's SGI (gic_unmask_irq)
        for (int i = 0; i < IpiCount; i++) cpu.MmioWrite(sgi + R.ISEnableR0, 4, 1u << i);

        // arch_timer_starting_cpu: gic_set_type(level) reads ICFGR1 (KVM's PPIs are level already), then unmask
        uint timer = Vgic.KvmVgic.VtimerPpi;
        cpu.MmioRead(sgi + R.ICfgR + timer / 16 * 4, 4);
        cpu.MmioWrite(sgi + R.ISEnableR0, 4, 1u << (int)timer);

        // its_cpu_init: LPIs on this redistributor, and this CPU's collection
        Its?.InitCpu(cpu, rd);

        // The CPU's first local_irq_enable: with priority masking, PMR = GIC_PRIO_IRQON (and PSTATE.I cleared).
        if (pseudoNmi) cpu.SysregWrite(IccSysRegs.Pmr, PrioIrqOn);
    }

    /// <summary>gic_populate_rdist: walk the redistributor frames (PIDR2, TYPER) until the one whose affinity is
    /// this CPU's MPIDR.</summary>
    private ulong PopulateRdist(Vcpu cpu)
    {
        ulong m = cpu.Mpidr.Value;
        ulong aff = (m & 0xFF_FFFF) | ((m >> 32) & 0xFF) << 24;
        for (int i = 0; i < vm.Vcpus.Count; i++)
        {
            ulong rd = RedistributorRegisters.FrameAddress(config, i);
            cpu.MmioRead(rd + R.Pidr2, 4);
            if (cpu.MmioRead(rd + R.Typer, 8) >> 32 == aff) return rd;
        }
        throw new InvalidOperationException($"irq-gic-v3: no redistributor for {cpu.Id}");
    }

    private void DistWaitForRwp(Vcpu cpu) => cpu.MmioRead(gicd + D.Ctlr, 4);
    private void RedistWaitForRwp(Vcpu cpu) => cpu.MmioRead(rdBase[cpu.Id.Value] + R.Ctlr, 4);

    private static int PriBits(Vcpu cpu) => (int)((cpu.SysregRead(IccSysRegs.Ctlr) >> IccCtlr.PriBitsShift) & 7) + 1;

    /// <summary>gic_cpu_to_affinity: Aff3 in [39:32], Aff2..Aff0 in [23:0] (IROUTER layout).</summary>
    private ulong Affinity(VcpuId id) => vm.Vcpus[id.Value].Mpidr.Value & Mpidr.HwIdMask;

    // ---- IPIs: gic_ipi_send_mask --------------------------------------------------------------------------

    /// <summary>One ICC_SGI1R_EL1 write per affinity cluster (Aff3.Aff2.Aff1), its TargetList covering the targets
    /// in it, walking the CPU mask in order as Linux does.</summary>
    public void SendIpi(Vcpu from, IpiKind kind, ReadOnlySpan<VcpuId> targets)
    {
        if (targets.IsEmpty) return;
        var sorted = sortScratch.AsSpan(0, targets.Length);
        targets.CopyTo(sorted);
        sorted.Sort(static (a, b) => a.Value.CompareTo(b.Value));
        vm.Metrics.IpisSent.Value += targets.Length;
        int i = 0;
        while (i < sorted.Length)
        {
            ulong mpidr = vm.Vcpus[sorted[i].Value].Mpidr.Value;
            ulong cluster = mpidr & ~0xFUL;
            uint tlist = 0;
            while (i < sorted.Length && (vm.Vcpus[sorted[i].Value].Mpidr.Value & ~0xFUL) == cluster)
                tlist |= 1u << (int)(vm.Vcpus[sorted[i++].Value].Mpidr.Value & 0xF);
            ulong val = ((cluster >> 32) & 0xFF) << 48 | ((cluster >> 16) & 0xFF) << 32 | (ulong)(uint)kind << 24
                        | ((cluster >> 8) & 0xFF) << 16 | tlist;
            from.SysregWrite(IccSysRegs.Sgi1r, val);
        }
    }

    // ---- the IRQ exception: gic_handle_irq ----------------------------------------------------------------

    /// <summary>
    /// The IRQ exception from the vector to the ERET: acknowledge (ICC_IAR1_EL1 and its dsb), the handler, EOI with
    /// EOImode 0. In pseudo-NMI mode also what the exception path does to PMR: kernel_entry saves ICC_PMR_EL1 in
    /// pt_regs and writes GIC_PRIO_IRQON | GIC_PRIO_PSR_I_SET; gic_handle_irq reads ICC_RPR_EL1 to tell an NMI
    /// (gic_supports_nmi), then gic_pmr_mask_irqs writes GIC_PRIO_IRQOFF before gic_arch_enable_irqs clears PSTATE.I
    /// for the handler; kernel_exit writes the saved PMR back. The kernel model must not wrap this in
    /// <see cref="LocalIrqDisable"/> / <see cref="LocalIrqEnable"/>: those PMR accesses are here.
    /// </summary>
    public void HandleIrq(Vcpu cpu, IGuestIrqHandlers handlers)
    {
        ulong entryPmr = 0;
        if (pseudoNmi)
        {
            entryPmr = cpu.SysregRead(IccSysRegs.Pmr);
            cpu.SysregWrite(IccSysRegs.Pmr, PrioIrqOn | PrioPsrISet);
        }
        uint intid = (uint)cpu.SysregRead(IccSysRegs.Iar1);
        cpu.Compute(iarBarrier); // gic_read_iar: the dsb(sy) after the acknowledge, before the handler may touch memory
        if (pseudoNmi)
        {
            // No interrupt is set up as an NMI (GICD_INT_NMI_PRI), so RPR never reads NmiPriority here.
            if (cpu.SysregRead(IccSysRegs.Rpr) == NmiPriority)
                throw new InvalidOperationException($"irq-gic-v3: {cpu.Id} took INTID {intid} at NMI priority, and no NMI is set up");
            cpu.SysregWrite(IccSysRegs.Pmr, PrioIrqOff);
        }
        if (SpecialIntIds.IsSpecial(intid)) vm.Metrics.SpuriousIrqs.Value++;
        else
        {
            if (intid < IpiCount) handlers.OnIpi(cpu, (IpiKind)intid);
            else if (intid == Vgic.KvmVgic.VtimerPpi) handlers.OnTimer(cpu);
            else if (devices.TryGetValue(intid, out var irq)) handlers.OnDeviceIrq(cpu, irq);
            cpu.SysregWrite(IccSysRegs.Eoir1, intid); // irq_eoi: EOImode 0
        }
        if (pseudoNmi) cpu.SysregWrite(IccSysRegs.Pmr, entryPmr); // kernel_exit (no pmr_sync: PMHE is clear)
    }

    // ---- local_irq_save / local_irq_restore (arch/arm64/include/asm/irqflags.h) ---------------------------

    /// <summary>
    /// arch_local_irq_save. Without pseudo-NMIs it sets PSTATE.I, which the GIC never sees: no access. With them it
    /// reads ICC_PMR_EL1 (the flags) and, unless interrupts were already off (PMR ≠ GIC_PRIO_IRQON), writes
    /// GIC_PRIO_IRQOFF: every interrupt at the driver's priority is then held below the mask. Calls nest.
    /// </summary>
    public void LocalIrqDisable(Vcpu cpu)
    {
        if (!pseudoNmi) return;
        int v = cpu.Id.Value;
        if (saveDepth[v] == MaxIrqSaveDepth)
            throw new InvalidOperationException($"{cpu.Id}: local_irq_save nested more than {MaxIrqSaveDepth} deep");
        ulong flags = cpu.SysregRead(IccSysRegs.Pmr);
        if (flags == PrioIrqOn) cpu.SysregWrite(IccSysRegs.Pmr, PrioIrqOff);
        savedFlags[v, saveDepth[v]++] = flags;
    }

    /// <summary>arch_local_irq_restore of the innermost <see cref="LocalIrqDisable"/>: with pseudo-NMIs it writes the
    /// saved PMR back — also when that keeps interrupts off — and pmr_sync() has nothing to do (PMHE is clear).</summary>
    public void LocalIrqEnable(Vcpu cpu)
    {
        if (!pseudoNmi) return;
        int v = cpu.Id.Value;
        if (saveDepth[v] == 0)
            throw new InvalidOperationException($"{cpu.Id}: local_irq_restore without a matching local_irq_save");
        cpu.SysregWrite(IccSysRegs.Pmr, savedFlags[v, --saveDepth[v]]);
    }

    // ---- device interrupts through GICv2m ------------------------------------------------------------------

    /// <summary>
    /// With an ITS: its_msi_prepare (MAPD for a new device), its_irq_domain_alloc (an LPI; EventID = the vector),
    /// activate (MAPTI into the affinity CPU's collection), request_irq's unmask (property write + INV); the device
    /// writes the EventID to GITS_TRANSLATER. Without: gicv2m_irq_domain_alloc (the lowest free SPI of the frame, set
    /// to edge), then affinity and unmask; the device writes the SPI number to MSI_SETSPI_NS.
    /// </summary>
    public DeviceIrq SetupDeviceIrq(Vcpu cpu, DeviceId device, uint vector, VcpuId affinity)
    {
        if (Its is { } its)
        {
            if (vector >= 1u << ItsGuestDriver.DeviceEventBits)
                throw new ArgumentOutOfRangeException(nameof(vector), vector, "more vectors than the device's ITT holds");
            its.EnsureDevice(cpu, device.Value);
            uint lpi = its.AllocateLpi();
            its.MapEvent(cpu, device.Value, vector, lpi, affinity.Value);
            var lpiIrq = new DeviceIrq(device, vector, new MsiMessage(its.TranslaterAddress, vector), affinity) { ChipIrq = lpi, ChipData = vector };
            devices[lpi] = lpiIrq;
            its.SetEnabled(cpu, device.Value, vector, lpi, true, affinity.Value);
            return lpiIrq;
        }
        if (v2mNext >= v2mCount) throw new InvalidOperationException("irq-gic-v3: the GICv2m frame has no free SPI left");
        uint spi = v2mFirst + v2mNext++;
        var irq = new DeviceIrq(device, vector, new MsiMessage(config.V2mBase + V2mFrame.MsiSetSpiNs, spi), affinity) { ChipIrq = spi };
        devices[spi] = irq;
        ConfigureEdge(cpu, spi);
        SetAffinity(cpu, irq, affinity);
        Unmask(cpu, spi);
        return irq;
    }

    /// <summary>gic_configure_irq(IRQ_TYPE_EDGE_RISING): read-modify-write of ICFGR, read back, wait for RWP.</summary>
    private void ConfigureEdge(Vcpu cpu, uint spi)
    {
        ulong reg = gicd + D.ICfgR + spi / 16 * 4;
        uint old = (uint)cpu.MmioRead(reg, 4);
        uint val = old | (2u << (int)(spi % 16 * 2));
        if (val == old) return;
        cpu.MmioWrite(reg, 4, val);
        cpu.MmioRead(reg, 4);
        DistWaitForRwp(cpu);
    }

    /// <summary>A device event mapped by hand to a given LPI on a given CPU's collection and enabled, as
    /// kvm-unit-tests' lpi test does (MAPD, MAPTI, property write + INV); its interrupts reach
    /// <see cref="IGuestIrqHandlers.OnDeviceIrq"/>.</summary>
    public DeviceIrq MapDeviceEvent(Vcpu cpu, DeviceId device, uint eventId, uint lpi, VcpuId target)
    {
        var its = Its ?? throw new InvalidOperationException("irq-gic-v3: no ITS");
        its.EnsureDevice(cpu, device.Value);
        its.MapEvent(cpu, device.Value, eventId, lpi, target.Value);
        its.SetEnabled(cpu, device.Value, eventId, lpi, true, target.Value);
        var irq = new DeviceIrq(device, eventId, new MsiMessage(its.TranslaterAddress, eventId), target) { ChipIrq = lpi, ChipData = eventId };
        devices[lpi] = irq;
        return irq;
    }

    /// <summary>its_set_affinity (MOVI to the target's collection), or gic_set_affinity for an SPI: disable if
    /// enabled, write IROUTER, re-enable (or wait for RWP).</summary>
    public void SetAffinity(Vcpu cpu, DeviceIrq irq, VcpuId target)
    {
        if (Its is { } its && irq.ChipIrq >= 8192)
        {
            its.Move(cpu, irq.Device.Value, irq.Vector, target.Value);
            irq.Affinity = target;
            return;
        }
        uint spi = irq.ChipIrq;
        bool enabled = (cpu.MmioRead(gicd + D.ISEnableR + spi / 32 * 4, 4) & (1u << (int)(spi % 32))) != 0;
        if (enabled) Mask(cpu, spi);
        cpu.MmioWrite(gicd + D.IRouteR + (ulong)spi * 8, 8, Affinity(target));
        if (enabled) Unmask(cpu, spi);
        else DistWaitForRwp(cpu);
        irq.Affinity = target;
    }

    public void MaskDeviceIrq(Vcpu cpu, DeviceIrq irq)
    {
        if (Its is { } its && irq.ChipIrq >= 8192) its.SetEnabled(cpu, irq.Device.Value, irq.Vector, irq.ChipIrq, false, irq.Affinity.Value);
        else Mask(cpu, irq.ChipIrq);
        irq.Masked = true;
    }

    public void UnmaskDeviceIrq(Vcpu cpu, DeviceIrq irq)
    {
        if (Its is { } its && irq.ChipIrq >= 8192) its.SetEnabled(cpu, irq.Device.Value, irq.Vector, irq.ChipIrq, true, irq.Affinity.Value);
        else Unmask(cpu, irq.ChipIrq);
        irq.Masked = false;
    }

    /// <summary>gic_mask_irq: ICENABLER, then wait for the distributor's RWP.</summary>
    private void Mask(Vcpu cpu, uint spi)
    {
        cpu.MmioWrite(gicd + D.ICEnableR + spi / 32 * 4, 4, 1u << (int)(spi % 32));
        DistWaitForRwp(cpu);
    }

    /// <summary>gic_unmask_irq: ISENABLER.</summary>
    private void Unmask(Vcpu cpu, uint spi) => cpu.MmioWrite(gicd + D.ISEnableR + spi / 32 * 4, 4, 1u << (int)(spi % 32));
}
