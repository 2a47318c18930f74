namespace IrqBench.Gicv3;

/// <summary>How the vgic handles more interrupts than list registers (gicv3.md §5.4, §5.6, §10.2).</summary>
public enum OverflowPolicy
{
    /// <summary>KVM up to v6.18 (the kernel the published Altra figures were measured on, v6.12): the ap_list is
    /// sorted active first, then pending, then by priority; only ICH_HCR_EL2.UIE is set when it does not fit; an empty
    /// ap_list costs nothing on exit and entry.</summary>
    Kvm612,

    /// <summary>KVM v6.19 (Marc Zyngier's LR-overflow rework): pending interrupts first; NPIE, LRENPIE, UIE and TDIR
    /// from an ap_list summary; EOIcount replayed on the overflow part of the list; DIR trapped while active
    /// interrupts live outside the LRs or any SPI is active VM-wide (with a broadcast kick when the first SPI is
    /// queued).</summary>
    Kvm619,
}

/// <summary>
/// The configuration of one emulated GICv3: what the VMM asks KVM for (SPI count, ITS) and what the host's CPU
/// interface offers (ICH_VTR_EL2: list registers, priority bits; TDIR support). The frame addresses are QEMU virt's.
/// </summary>
public sealed record Gicv3Config
{
    /// <summary>QEMU virt: VIRT_GIC_DIST.</summary>
    public ulong DistributorBase { get; init; } = 0x0800_0000;

    /// <summary>QEMU virt: VIRT_GIC_V2M (the MSI frame used for device interrupts when there is no ITS).</summary>
    public ulong V2mBase { get; init; } = 0x0802_0000;

    /// <summary>QEMU virt: VIRT_GIC_ITS.</summary>
    public ulong ItsBase { get; init; } = 0x0808_0000;

    /// <summary>QEMU virt: VIRT_GIC_REDIST, room for 123 redistributors of 2 x 64 KiB.</summary>
    public ulong RedistributorBase { get; init; } = 0x080A_0000;
    public int RedistributorsInFirstRegion { get; init; } = 123;

    /// <summary>QEMU virt: VIRT_HIGH_GIC_REDIST2, where the redistributors that do not fit below 4 GiB go.</summary>
    public ulong HighRedistributorBase { get; init; } = 0x40_0000_0000;

    /// <summary>nr_spis: KVM's default when the VMM does not set it is 256 - 32 (gicv3.md §1.4). A multiple of 32,
    /// at most <see cref="MaxSpiCount"/>.</summary>
    public int SpiCount { get; init; } = 224;

    /// <summary>The largest nr_spis. KVM_DEV_ARM_VGIC_GRP_NR_IRQS takes a multiple of 32 interrupts up to
    /// VGIC_MAX_RESERVED (1023), and GICD_TYPER.ITLinesNumber counts INTIDs in 32s: 31 × 32 = 992 INTIDs is the last
    /// step below the special INTIDs 1020-1023, so SPIs end at 991, not at 1019.</summary>
    public const int MaxSpiCount = 1020 / 32 * 32 - 32;

    /// <summary>ICH_VTR_EL2.ListRegs + 1: four on Arm Cortex and Neoverse cores (gicv3.md §4.1).</summary>
    public int ListRegisters { get; init; } = 4;

    /// <summary>Virtual priority and preemption bits (ICH_VTR_EL2.PRIbits/PREbits + 1): 5, as KVM's VGIC_PRI_BITS.</summary>
    public int PriorityBits { get; init; } = 5;

    public OverflowPolicy Policy { get; init; } = OverflowPolicy.Kvm612;

    /// <summary>ARM64_HAS_ICH_HCR_EL2_TDIR (ICH_VTR_EL2.TDS): without it ICV_DIR_EL1 always traps (KVM sets
    /// ICH_HCR_EL2.TC for good).</summary>
    public bool HasTdir { get; init; } = true;

    /// <summary>The host's CPU interface sets ICH_VTR_EL2.SEIS on a core KVM knows to be broken (Apple M1 Icestorm and
    /// Firestorm, vgic_v3_broken_seis): KVM traps and emulates the guest's CPU-interface accesses and keeps only the
    /// signalling part of the hardware — Group 0 and Group 1 (TALL0, TALL1) and the common group (TC), or, on a CPU
    /// with ICH_VTR_EL2.TDS, only DIR of the common group (TDIR; "Reduce common group trapping to ICV_DIR_EL1 when
    /// possible"). See docs/gicv3.md §4.5 and <see cref="CpuifTrapBits"/>.</summary>
    public bool BrokenSeis { get; init; }

    /// <summary>kvm-arm.vgic_v3_group0_trap: trap the guest's Group 0 CPU-interface accesses (TALL0).</summary>
    public bool TrapGroup0 { get; init; }

    /// <summary>kvm-arm.vgic_v3_group1_trap: trap the guest's Group 1 CPU-interface accesses (TALL1).</summary>
    public bool TrapGroup1 { get; init; }

    /// <summary>kvm-arm.vgic_v3_common_trap: trap the registers common to both groups, CTLR, DIR, PMR, RPR (TC).</summary>
    public bool TrapCommon { get; init; }

    /// <summary>
    /// The ICH_HCR_EL2 trap bits every vCPU of the VM runs with (KVM's vgic_ich_hcr_trap_bits, from the global
    /// group0_trap, group1_trap, common_trap and dir_trap that vgic_v3_probe sets): TALL0 and TALL1 for
    /// <see cref="TrapGroup0"/>, <see cref="TrapGroup1"/> or <see cref="BrokenSeis"/>; TC for <see cref="TrapCommon"/>,
    /// and on a CPU without TDIR (which then always traps DIR through TC); TDIR for <see cref="BrokenSeis"/> on a CPU
    /// that has it. v6.19's TDIR, which changes per vCPU and entry, is not among them.
    /// </summary>
    public uint CpuifTrapBits =>
        (TrapGroup0 || BrokenSeis ? CpuInterface.IchHcr.TAll0 : 0)
        | (TrapGroup1 || BrokenSeis ? CpuInterface.IchHcr.TAll1 : 0)
        | (TrapCommon || !HasTdir ? CpuInterface.IchHcr.Tc : 0)
        | (BrokenSeis && HasTdir ? CpuInterface.IchHcr.Tdir : 0);

    /// <summary>The guest kernel is booted with irqchip.gicv3_pseudo_nmi=1: its irq-gic-v3 driver masks interrupts by
    /// writing ICC_PMR_EL1 rather than setting PSTATE.I (<see cref="Guest.Gicv3GuestDriver"/>). Only the guest reads
    /// it; KVM does not know.</summary>
    public bool GuestPseudoNmi { get; init; }

    /// <summary>An ITS for MSIs (QEMU virt's default); without one, device MSIs go through a GICv2m frame as SPIs.</summary>
    public bool HasIts { get; init; } = true;

    /// <summary>A GICv4.1 host: vSGIs (offered through GICD_TYPER2.nASSGIcap) and, for the devices behind the ITS,
    /// vLPIs forwarded to the physical ITS and delivered by the hardware.</summary>
    public bool Gicv41 { get; init; }

    /// <summary>kvm-arm.wfi_trap_policy: by default (null) KVM clears HCR_EL2.TWI only where the hardware can wake the
    /// vCPU (a GICv4.1 guest using vSGIs, alone on its pCPU); <c>true</c> is "trap" (every WFI exits, the way to see a
    /// GICv4.1 doorbell), <c>false</c> is "notrap".</summary>
    public bool? TrapWfi { get; init; }

    /// <summary>Base of the GICv2m SPI range for MSIs when there is no ITS (QEMU virt: 64 SPIs from INTID 80).</summary>
    public int V2mFirstSpi { get; init; } = 80;
    public int V2mSpiCount { get; init; } = 64;

    public const int RedistributorStride = 0x2_0000, FrameSize = 0x1_0000;

    public void Validate()
    {
        if (SpiCount < 32 || SpiCount > MaxSpiCount || SpiCount % 32 != 0)
            throw new ArgumentOutOfRangeException(nameof(SpiCount), SpiCount, $"nr_spis is a multiple of 32 between 32 and {MaxSpiCount}");
        if (ListRegisters is < 1 or > 16)
            throw new ArgumentOutOfRangeException(nameof(ListRegisters), ListRegisters, "ICH_VTR_EL2 allows 1 to 16 list registers");
        if (PriorityBits is < 5 or > 7)
            throw new ArgumentOutOfRangeException(nameof(PriorityBits), PriorityBits, "the virtual CPU interface implements 5 to 7 priority bits");
        if (Gicv41 && (CpuifTrapBits & (CpuInterface.IchHcr.TAll1 | CpuInterface.IchHcr.TAll0)) != 0)
            throw new ArgumentException("trapped Group 0/1 CPU-interface accesses are emulated from the list registers only (as KVM's EL2 fast path does): a GICv4.1 vPE's directly injected interrupts would be invisible to the acknowledge", nameof(Gicv41));
        if (Gicv41 && !HasIts)
            throw new ArgumentException("a GICv4.1 model needs its ITS (vLPIs are mapped through it)", nameof(Gicv41));
        if (!HasIts && (V2mFirstSpi < 32 || V2mFirstSpi + V2mSpiCount > 32 + SpiCount))
            throw new ArgumentOutOfRangeException(nameof(V2mFirstSpi), V2mFirstSpi, "the GICv2m SPI range must lie inside the SPIs");
    }
}
