namespace IrqBench.Rvic.Guest;

/// <summary>A first-fit bitmap allocator over [0, size): the rVIC driver's untrusted-INTID bitmap (P02, rvic.md §5.9)
/// and the rVID driver's MSI window bitmap (P04, §4).</summary>
internal sealed class IdAllocator(int size, string what)
{
    private readonly bool[] used = new bool[size];

    public int Allocate()
    {
        int i = Array.IndexOf(used, false);
        if (i < 0) throw new InvalidOperationException($"rVIC guest driver: no free {what} (all {size} in use)");
        used[i] = true;
        return i;
    }

    public void Free(int i) => used[i] = false;
}
