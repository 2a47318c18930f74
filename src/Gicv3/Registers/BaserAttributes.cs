namespace IrqBench.Gicv3.Registers;

/// <summary>
/// The memory attributes of a GIC table base register (GICR_PROPBASER, GICR_PENDBASER, GITS_CBASER, GITS_BASER&lt;n&gt;):
/// where its Shareability, InnerCache and OuterCache fields lie, and KVM's sanitisation of them on every write
/// (vgic_sanitise_shareability, vgic_sanitise_inner_cacheability, vgic_sanitise_outer_cacheability). KVM reaches the
/// tables as ordinary cacheable RAM, so it reports back attributes that say so, and the guest's driver (which reads
/// the register back) treats the tables accordingly.
/// </summary>
internal readonly record struct BaserAttributes(int InnerCacheShift, int ShareabilityShift, int OuterCacheShift)
{
    /// <summary>GICR_PROPBASER and GICR_PENDBASER: InnerCache [9:7], Shareability [11:10], OuterCache [58:56].</summary>
    public static readonly BaserAttributes Redistributor = new(7, 10, 56);

    /// <summary>GITS_CBASER and GITS_BASER&lt;n&gt;: InnerCache [61:59], Shareability [11:10], OuterCache [55:53].</summary>
    public static readonly BaserAttributes Its = new(59, 10, 53);

    /// <summary>Shareability: Non-shareable, Inner Shareable, Outer Shareable (0b11 is reserved).</summary>
    public const ulong NonShareable = 0b00, InnerShareable = 0b01, OuterShareable = 0b10;

    /// <summary>InnerCache and OuterCache: 0b000 is Device-nGnRnE in InnerCache and "the memory type defined in
    /// InnerCache" in OuterCache; then Normal Non-cacheable, and the cacheable types Read-allocate Write-through,
    /// Read-allocate Write-back, Write-allocate Write-through, Write-allocate Write-back, Read-allocate Write-allocate
    /// Write-through and Read-allocate Write-allocate Write-back.</summary>
    public const ulong DeviceNGnRnE = 0b000, SameAsInner = 0b000, NonCacheable = 0b001, RaWt = 0b010, RaWb = 0b011,
        WaWt = 0b100, WaWb = 0b101, RaWaWt = 0b110, RaWaWb = 0b111;

    /// <summary>The register with its attributes as KVM keeps them: Outer Shareable becomes Inner Shareable; an
    /// inner Device or Non-cacheable type becomes RaWb ("avoid any inner non-cacheable mapping"); an outer type other
    /// than SameAsInner or Non-cacheable becomes SameAsInner.</summary>
    public ulong Sanitise(ulong reg)
    {
        reg = With(reg, ShareabilityShift, 0b11, s => s == OuterShareable ? InnerShareable : s);
        reg = With(reg, InnerCacheShift, 0b111, c => c is DeviceNGnRnE or NonCacheable ? RaWb : c);
        return With(reg, OuterCacheShift, 0b111, c => c is SameAsInner or NonCacheable ? c : SameAsInner);
    }

    /// <summary>vgic_sanitise_field: one field replaced by what <paramref name="sanitise"/> makes of it.</summary>
    private static ulong With(ulong reg, int shift, ulong mask, Func<ulong, ulong> sanitise) =>
        (reg & ~(mask << shift)) | (sanitise((reg >> shift) & mask) & mask) << shift;
}
