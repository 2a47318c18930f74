namespace IrqBench.Gicv3.Registers;

/// <summary>The access sizes a register allows (KVM's VGIC_ACCESS_8bit/32bit/64bit flags).</summary>
[Flags]
public enum AccessWidths : byte
{
    None = 0,
    Byte = 1,
    Half = 2,
    Word = 4,
    Dword = 8,
    WordOrDword = Word | Dword,
    ByteOrWord = Byte | Word,
}

internal static class AccessWidthsExtensions
{
    public static bool Allows(this AccessWidths w, int size) => size switch
    {
        1 => (w & AccessWidths.Byte) != 0,
        2 => (w & AccessWidths.Half) != 0,
        4 => (w & AccessWidths.Word) != 0,
        8 => (w & AccessWidths.Dword) != 0,
        _ => false,
    };
}
