namespace IrqBench.Machine.Memory;

/// <summary>
/// Guest physical memory: RAM ranges (accesses never trap) backed sparsely by 4 KiB pages allocated on first write.
/// Controllers keep in-memory tables here (ITS command queue, device tables, LPI property and pending tables), as the
/// architecture puts them in guest RAM.
/// </summary>
public sealed class GuestMemory
{
    private const int PageShift = 12, PageSize = 1 << PageShift;
    private readonly List<(ulong Base, ulong Size)> ram = [];
    private readonly Dictionary<ulong, byte[]> pages = new();

    public void AddRam(ulong baseAddress, ulong size) => ram.Add((baseAddress, size));

    public bool IsRam(ulong address)
    {
        foreach (var (b, s) in ram)
            if (address >= b && address - b < s) return true;
        return false;
    }

    public ulong Read(ulong address, int size)
    {
        ulong v = 0;
        for (int i = 0; i < size; i++) v |= (ulong)ReadByte(address + (ulong)i) << (8 * i);
        return v;
    }

    public void Write(ulong address, int size, ulong value)
    {
        for (int i = 0; i < size; i++) WriteByte(address + (ulong)i, (byte)(value >> (8 * i)));
    }

    public byte ReadByte(ulong address) =>
        pages.TryGetValue(address >> PageShift, out var page) ? page[(int)(address & (PageSize - 1))] : (byte)0;

    public void WriteByte(ulong address, byte value)
    {
        if (!pages.TryGetValue(address >> PageShift, out var page))
        {
            if (value == 0) return; // reading an absent page gives zero already
            pages[address >> PageShift] = page = new byte[PageSize];
        }
        page[(int)(address & (PageSize - 1))] = value;
    }
}
