namespace IrqBench.Rvic;

/// <summary>
/// One VM's rVIC/rVID configuration: what the VMM sets with KVM_DEV_ARM_RVIC_GRP_NR_IRQS (rvic.md §6.4) and
/// describes in the DT (the rVID's MSI window, rvic.md §4). Every instance of the VM has the same counts.
/// Defaults and their reasons: src/Rvic/DECISIONS.md.
/// </summary>
public sealed record RvicConfig
{
    /// <summary>The guest's IPIs are INTIDs 0..15 (rvic.md §3.2, §5.1).</summary>
    public const uint IpiCount = 16;

    /// <summary>KVM's default virtual timer PPI number, a trusted level-triggered INTID (rvic.md §5.8).</summary>
    public const uint TimerIntid = 27;

    /// <summary>The dummy MSI doorbell of the prototype (rvic.md §4): "the rVID doesn't really have a doorbell".</summary>
    public const ulong MsiDoorbell = 0xBA5E_0000;

    public int NrTrusted { get; init; } = 32;
    public int NrTotal { get; init; } = 128;

    /// <summary>First rVID input of the MSI window (the prototype's made-up <c>msi-range</c> DT property).</summary>
    public int MsiBase { get; init; } = 32;

    public int NrUntrusted => NrTotal - NrTrusted;

    /// <summary>The rVID has one input per untrusted INTID (rvic.md §4); inputs [MsiBase, NrUntrusted) carry MSIs.</summary>
    public int MsiCount => NrUntrusted - MsiBase;

    public static readonly RvicConfig Default = new();

    /// <summary>KVM's rvic_set_attr limits (rvic.md §3.2) plus spec rule R0058 (≥ 32 untrusted), which the prototype
    /// does not enforce (rvic.md §9 quirk 3).</summary>
    public RvicConfig Validated()
    {
        if (NrTrusted < 32 || NrTrusted % 32 != 0)
            throw new ArgumentException($"rVIC: nr_trusted {NrTrusted} must be a multiple of 32 and at least 32");
        if (NrTotal < 64 || NrTotal % 32 != 0 || NrTotal > 2048 || NrTotal < NrTrusted)
            throw new ArgumentException($"rVIC: nr_total {NrTotal} must be a multiple of 32 in [max(64, nr_trusted), 2048]");
        if (NrUntrusted < 32)
            throw new ArgumentException($"rVIC: {NrUntrusted} untrusted INTIDs; spec rule R0058 requires at least 32");
        if (MsiBase < 0 || MsiBase >= NrUntrusted)
            throw new ArgumentException($"rVID: MSI window base {MsiBase} must lie in [0, {NrUntrusted})");
        return this;
    }
}
