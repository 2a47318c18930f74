namespace IrqBench.Machine;

/// <summary>Index of a vCPU in the VM (0-based, dense). KVM's vcpu_idx.</summary>
public readonly record struct VcpuId(int Value)
{
    public override string ToString() => $"vcpu{Value}";
}

/// <summary>An interrupt identifier as the controller numbers it (GIC INTID, rVIC INTID).</summary>
public readonly record struct IntId(uint Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>MPIDR_EL1 affinity value (Aff3..Aff0, bits [39:32] and [23:0]); what SGI1R and rVIC calls name a CPU by.</summary>
public readonly record struct Mpidr(ulong Value)
{
    /// <summary>Linux's MPIDR_HWID_BITMASK: Aff3 and Aff2..Aff0.</summary>
    public const ulong HwIdMask = 0xFF_00FF_FFFFUL;

    public byte Aff0 => (byte)Value;
    public byte Aff1 => (byte)(Value >> 8);
    public byte Aff2 => (byte)(Value >> 16);
    public byte Aff3 => (byte)(Value >> 32);

    /// <summary>The topology KVM gives vCPUs: 16 CPUs per Aff1 cluster (reset_mpidr in KVM's sys_regs.c), so that
    /// one ICC_SGI1R_EL1 target list (16 bits of Aff0) covers a cluster.</summary>
    public static Mpidr ForVcpu(VcpuId id)
    {
        uint i = (uint)id.Value;
        return new Mpidr((i & 0xFu) | (((i >> 4) & 0xFFu) << 8) | (((i >> 12) & 0xFFu) << 16));
    }
}

/// <summary>A device as the interrupt translation names it (ITS DeviceID, rVID device).</summary>
public readonly record struct DeviceId(uint Value);

/// <summary>An event of a device (ITS EventID, the MSI data of a vector).</summary>
public readonly record struct EventId(uint Value);
