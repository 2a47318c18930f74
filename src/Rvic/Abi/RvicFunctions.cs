namespace IrqBench.Rvic.Abi;

/// <summary>
/// The SMCCC function IDs of the rVIC and rVID (rvic.md §2.4, §2.5): SMC64 fast calls of owner 5 (Standard Hypervisor
/// Service Calls). They are Marc Zyngier's placeholders from the prototype's irq-rvic.h; the alpha spec redacted the
/// real numbers (rvic.md §1.2).
/// </summary>
public static class RvicFunctions
{
    public const uint Base = 0xC500_0200;
    public const uint Version = Base + 0, Info = Base + 1, Enable = Base + 2, Disable = Base + 3,
        SetMasked = Base + 4, ClearMasked = Base + 5, IsPending = Base + 6, Signal = Base + 7,
        ClearPending = Base + 8, Acknowledge = Base + 9, Resample = Base + 10;
    /// <summary>SMC64_RVIC_LAST.</summary>
    public const uint Last = Resample;
}

/// <summary>The rVID's function IDs (rvic.md §2.5).</summary>
public static class RvidFunctions
{
    public const uint Base = 0xC500_0100;
    public const uint Version = Base + 0, Map = Base + 1, Unmap = Base + 2;
    /// <summary>SMC64_RVID_LAST.</summary>
    public const uint Last = Unmap;
}

/// <summary>The version word and INFO keys (rvic.md §2.3, §2.4).</summary>
public static class RvicAbi
{
    /// <summary>"ALP0.3": major in [31:16], minor in [15:0]. Both rVIC and rVID report it; the guest requires ≥ 0.3.</summary>
    public const uint Version = (0u << 16) | 3u;

    /// <summary>INFO key 0: the number of trusted INTIDs.</summary>
    public const ulong InfoNrTrusted = 0;
    /// <summary>INFO key 1: the number of untrusted INTIDs.</summary>
    public const ulong InfoNrUntrusted = 1;
}
