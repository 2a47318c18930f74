namespace IrqBench.Gicv3.Redistributor;

/// <summary>
/// One redistributor region as the VMM declares it to KVM (struct vgic_redist_region): a base address, room for
/// <see cref="Count"/> frames of 2 x 64 KiB, of which the first <see cref="Used"/> (KVM's free_index) belong to vCPUs
/// <see cref="FirstVcpu"/> onwards, in order.
/// </summary>
internal readonly record struct RedistributorRegion(string Name, ulong Base, int Count, int FirstVcpu, int Used)
{
    public ulong End => Base + (ulong)Count * Gicv3Config.RedistributorStride;

    public bool Holds(int vcpu) => vcpu >= FirstVcpu && vcpu < FirstVcpu + Used;

    public ulong FrameAddress(int vcpu) => Base + (ulong)(vcpu - FirstVcpu) * Gicv3Config.RedistributorStride;

    /// <summary>QEMU virt's layout: VIRT_GIC_REDIST below 4 GiB for the first vCPUs, VIRT_HIGH_GIC_REDIST2 for the rest
    /// (declared just large enough for them).</summary>
    public static RedistributorRegion[] Layout(Gicv3Config config, int vcpus)
    {
        int low = Math.Min(vcpus, config.RedistributorsInFirstRegion);
        var first = new RedistributorRegion("GICR", config.RedistributorBase, config.RedistributorsInFirstRegion, 0, low);
        return vcpus == low
            ? [first]
            : [first, new RedistributorRegion("GICR-high", config.HighRedistributorBase, vcpus - low, low, vcpus - low)];
    }

    /// <summary>
    /// GICR_TYPER.Last (vgic_mmio_vcpu_rdist_is_last): the highest frame in use of its region, unless it fills the
    /// region and another region with frames in use starts where this one ends: the architecture's Last marks the end
    /// of a contiguous run of redistributors, and two adjacent regions are one run.
    /// </summary>
    public static bool IsLast(RedistributorRegion[] regions, int vcpu)
    {
        var r = Array.Find(regions, x => x.Holds(vcpu));
        int index = vcpu - r.FirstVcpu;
        if (index < r.Used - 1) return false;
        if (index == r.Count - 1)
            foreach (var next in regions)
                if (next.Base == r.End && next.Used > 0) return false;
        return true;
    }
}
