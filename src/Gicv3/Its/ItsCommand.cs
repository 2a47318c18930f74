namespace IrqBench.Gicv3.Its;

/// <summary>The ITS command numbers (DW0[7:0]; gicv3.md §6.2, KVM's GITS_CMD_*).</summary>
public enum ItsCommandType : byte
{
    Movi = 0x01, Int = 0x03, Clear = 0x04, Sync = 0x05, Mapd = 0x08, Mapc = 0x09, Mapti = 0x0A, Mapi = 0x0B,
    Inv = 0x0C, Invall = 0x0D, Movall = 0x0E, Discard = 0x0F,
}

/// <summary>
/// One 32-byte ITS command (four little-endian doublewords), with the field positions KVM's its_cmd_get_* and
/// Linux's its_encode_* use: DeviceID DW0[63:32], EventID DW1[31:0], pINTID DW1[63:32], Size DW1[4:0], ICID
/// DW2[15:0], ITT_addr DW2[51:8], RDbase DW2[47:16] (a processor number, GITS_TYPER.PTA = 0), V DW2[63], RDbase2
/// DW3[47:16].
/// </summary>
public readonly record struct ItsCommand(ulong Dw0, ulong Dw1, ulong Dw2, ulong Dw3)
{
    public const int Size = 32;

    public ItsCommandType Type => (ItsCommandType)(byte)Dw0;
    public uint DeviceId => (uint)(Dw0 >> 32);
    public uint EventId => (uint)Dw1;
    public uint PhysicalId => (uint)(Dw1 >> 32);
    /// <summary>MAPD: the number of EventID bits, Size + 1.</summary>
    public int EventIdBits => (int)(Dw1 & 0x1F) + 1;
    public uint CollectionId => (uint)(Dw2 & 0xFFFF);
    public ulong IttAddress => Dw2 & 0x000F_FFFF_FFFF_FF00;
    public uint TargetAddress => (uint)((Dw2 >> 16) & 0xFFFF_FFFF);
    public uint TargetAddress2 => (uint)((Dw3 >> 16) & 0xFFFF_FFFF);
    public bool Valid => (Dw2 >> 63) != 0;

    public static ItsCommand Mapd(uint device, int eventIdBits, ulong itt, bool valid) =>
        new((ulong)ItsCommandType.Mapd | (ulong)device << 32, (ulong)(eventIdBits - 1) & 0x1F,
            (itt & 0x000F_FFFF_FFFF_FF00) | (valid ? 1UL << 63 : 0), 0);

    public static ItsCommand Mapc(uint collection, uint targetProcessor, bool valid) =>
        new((ulong)ItsCommandType.Mapc, 0, collection | (ulong)targetProcessor << 16 | (valid ? 1UL << 63 : 0), 0);

    public static ItsCommand Mapti(uint device, uint eventId, uint pintid, uint collection) =>
        new((ulong)ItsCommandType.Mapti | (ulong)device << 32, eventId | (ulong)pintid << 32, collection, 0);

    public static ItsCommand Mapi(uint device, uint eventId, uint collection) =>
        new((ulong)ItsCommandType.Mapi | (ulong)device << 32, eventId, collection, 0);

    public static ItsCommand Movi(uint device, uint eventId, uint collection) =>
        new((ulong)ItsCommandType.Movi | (ulong)device << 32, eventId, collection, 0);

    /// <summary>INT, CLEAR, INV, DISCARD: a (DeviceID, EventID) pair.</summary>
    public static ItsCommand Event(ItsCommandType type, uint device, uint eventId) =>
        new((ulong)type | (ulong)device << 32, eventId, 0, 0);

    public static ItsCommand Invall(uint collection) => new((ulong)ItsCommandType.Invall, 0, collection, 0);

    public static ItsCommand Movall(uint fromProcessor, uint toProcessor) =>
        new((ulong)ItsCommandType.Movall, 0, (ulong)fromProcessor << 16, (ulong)toProcessor << 16);

    public static ItsCommand Sync(uint targetProcessor) => new((ulong)ItsCommandType.Sync, 0, (ulong)targetProcessor << 16, 0);
}
