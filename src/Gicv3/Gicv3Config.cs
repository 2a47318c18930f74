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
        if (Gicv41 && !HasIts)
            throw new ArgumentException("a GICv4.1 model needs its ITS (vLPIs are mapped through it)", nameof(Gicv41));
        if (!HasIts && (V2mFirstSpi < 32 || V2mFirstSpi + V2mSpiCount > 32 + SpiCount))
            throw new ArgumentOutOfRangeException(nameof(V2mFirstSpi), V2mFirstSpi, "the GICv2m SPI range must lie inside the SPIs");
    }
}
