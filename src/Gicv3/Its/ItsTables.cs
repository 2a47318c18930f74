using IrqBench.Gicv3.Vgic;

namespace IrqBench.Gicv3.Its;

/// <summary>A mapped collection (KVM's its_collection): the redistributor, by processor number, its interrupts go
/// to; a collection created by MAPTI before MAPC is not mapped yet.</summary>
internal sealed class ItsCollection(uint id)
{
    public const uint NotMapped = uint.MaxValue;
    public uint Id { get; } = id;
    public uint TargetAddress = NotMapped;
    public bool IsMapped => TargetAddress != NotMapped;
}

/// <summary>An interrupt translation entry (KVM's its_ite): EventID → LPI, in a collection.</summary>
internal sealed class ItsIte(uint eventId, ItsCollection collection, VgicIrq irq)
{
    public uint EventId { get; } = eventId;

    /// <summary>Null once the collection is freed (MAPC with V = 0, or the collection table made invalid): KVM's
    /// vgic_its_free_collection sets ite->collection to NULL, and nothing but a new mapping of the event gives it one
    /// again (MOVI and DISCARD refuse it, MAPTI onto it is ignored).</summary>
    public ItsCollection? Collection = collection;
    public VgicIrq Irq { get; } = irq;
}

/// <summary>A mapped device (KVM's its_device): its ITT in guest memory, its EventID width, and its ITEs.</summary>
internal sealed class ItsDevice(uint deviceId, ulong ittAddress, int eventIdBits)
{
    public uint DeviceId { get; } = deviceId;
    public ulong IttAddress { get; } = ittAddress;
    public int EventIdBits { get; } = eventIdBits;
    public Dictionary<uint, ItsIte> Ites { get; } = new();
}

/// <summary>The command errors KVM reports (E_ITS_*: 0x01 | command | reason); the command is skipped.</summary>
public enum ItsError : uint
{
    None = 0,
    MoviUnmappedInterrupt = 0x010107, MoviUnmappedCollection = 0x010109,
    IntUnmappedInterrupt = 0x010307, ClearUnmappedInterrupt = 0x010507,
    MapdDeviceOor = 0x010801, MapdIttSizeOor = 0x010802,
    MapcProcnumOor = 0x010902, MapcCollectionOor = 0x010903,
    MaptiUnmappedDevice = 0x010a04, MaptiIdOor = 0x010a05, MaptiPhysicalIdOor = 0x010a06,
    InvUnmappedInterrupt = 0x010c07, InvallUnmappedCollection = 0x010d09,
    MovallProcnumOor = 0x010e01, DiscardUnmappedInterrupt = 0x010f07,
}
