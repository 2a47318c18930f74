namespace IrqBench.Machine.Metrics;

/// <summary>What kind of interrupt a delivery was, for latency by kind: the answer differs by path (an IPI crosses
/// CPUs through a trapped send and a kick, the timer starts on the receiver itself, an MSI comes from a device thread
/// through the ITS or the rVID, a wired SPI through the distributor).</summary>
public enum IrqKind
{
    /// <summary>SGIs / rVIC INTIDs 0–15: inter-processor interrupts.</summary>
    Ipi,
    /// <summary>The virtual timer's PPI (GICv3 INTID 27, rVIC trusted INTID 27, the ideal timer vector).</summary>
    Timer,
    /// <summary>Message-signalled: LPIs through the ITS, rVID inputs from an MSI, ideal device vectors.</summary>
    Msi,
    /// <summary>Wired shared peripheral interrupts through the distributor.</summary>
    Spi,
    /// <summary>Anything else (other PPIs).</summary>
    Other,
}

public static class IrqKinds
{
    public static readonly IReadOnlyList<IrqKind> All = Enum.GetValues<IrqKind>();

    /// <summary>The name used in counter and CSV names: ipi, timer, msi, spi, other.</summary>
    public static string Name(this IrqKind k) => k switch
    {
        IrqKind.Ipi => "ipi",
        IrqKind.Timer => "timer",
        IrqKind.Msi => "msi",
        IrqKind.Spi => "spi",
        _ => "other",
    };
}
