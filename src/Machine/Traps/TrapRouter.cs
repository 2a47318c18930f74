using IrqBench.Machine.Costs;

namespace IrqBench.Machine.Traps;

/// <summary>
/// What each architectural access reaches: a guest MMIO address either hits RAM (no trap) or faults at stage 2 and is
/// routed to the device region that claims it, at that region's placement; a system register is trapped or served by
/// hardware as its owner registered it; an HVC is dispatched on the SMCCC function ID.
/// </summary>
public sealed class TrapRouter
{
    private readonly List<MmioRegion> regions = [];
    private readonly Dictionary<SysReg, SysregEntry> sysregs = new();
    private readonly List<HvcRange> hvcRanges = [];

    public sealed record MmioRegion(string Name, ulong Base, ulong Size, IMmioHandler Handler, Placement Placement)
    {
        /// <summary>How a trace names an exit on this region, as KVM names a data abort.</summary>
        public string TraceLabel { get; } = "DABT " + Name;
    }

    public sealed record SysregEntry(string Name, ISysregHandler Handler, bool Trapped, Placement Placement)
    {
        /// <summary>How a trace names a trapped access, as KVM names a system-register exit.</summary>
        public string TraceLabel { get; } = "SYS64 " + Name;
    }
    public sealed record HvcRange(string Name, uint First, uint Last, IHvcHandler Handler, Placement Placement);

    public void MapMmio(string name, ulong baseAddress, ulong size, IMmioHandler handler, Placement placement)
    {
        foreach (var r in regions)
            if (baseAddress < r.Base + r.Size && r.Base < baseAddress + size)
                throw new InvalidOperationException($"MMIO region {name} [{baseAddress:X}, +{size:X}) overlaps {r.Name}");
        regions.Add(new MmioRegion(name, baseAddress, size, handler, placement));
    }

    public MmioRegion? FindMmio(ulong address)
    {
        foreach (var r in regions)
            if (address >= r.Base && address - r.Base < r.Size) return r;
        return null;
    }

    /// <summary>Registers a system register. <paramref name="trapped"/> false means the hardware serves the access
    /// (the handler still models what the hardware does, and charges hardware time as guest time).</summary>
    public void MapSysreg(SysReg reg, string name, ISysregHandler handler, bool trapped, Placement placement = Placement.HostKernel) =>
        sysregs[reg] = new SysregEntry(name, handler, trapped, placement);

    public SysregEntry? FindSysreg(SysReg reg) => sysregs.TryGetValue(reg, out var e) ? e : null;

    public void MapHvc(string name, uint first, uint last, IHvcHandler handler, Placement placement)
    {
        foreach (var r in hvcRanges)
            if (first <= r.Last && r.First <= last)
                throw new InvalidOperationException($"HVC range {name} overlaps {r.Name}");
        hvcRanges.Add(new HvcRange(name, first, last, handler, placement));
    }

    public HvcRange? FindHvc(uint functionId)
    {
        foreach (var r in hvcRanges)
            if (functionId >= r.First && functionId <= r.Last) return r;
        return null;
    }
}
