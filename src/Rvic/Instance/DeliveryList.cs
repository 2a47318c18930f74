namespace IrqBench.Rvic.Instance;

/// <summary>
/// The INTIDs of one instance that are pending and unmasked, in the order they became so: KVM's per-instance delivery
/// list (rvic.md §3.5), which ACKNOWLEDGE takes from the head. An intrusive doubly linked list over INTIDs held in two
/// arrays, so insertion and removal are O(1) and allocate nothing.
/// </summary>
internal sealed class DeliveryList
{
    private const int None = -1, Absent = -2;
    private readonly int[] next, prev;
    private int head = None, tail = None;

    public DeliveryList(int size)
    {
        next = new int[size];
        prev = new int[size];
        Array.Fill(next, Absent);
    }

    public bool IsEmpty => head == None;

    /// <summary>The oldest entry, or -1.</summary>
    public int Head => head;

    public bool Contains(int intid) => next[intid] != Absent;

    /// <summary>The entry after <paramref name="intid"/> (which must be on the list), or -1 at the tail.</summary>
    public int NextOf(int intid) => next[intid];

    public void Append(int intid)
    {
        if (Contains(intid)) return;
        prev[intid] = tail;
        next[intid] = None;
        if (tail == None) head = intid; else next[tail] = intid;
        tail = intid;
    }

    public void Remove(int intid)
    {
        if (!Contains(intid)) return;
        int p = prev[intid], n = next[intid];
        if (p == None) head = n; else next[p] = n;
        if (n == None) tail = p; else prev[n] = p;
        next[intid] = Absent;
    }

    public void Clear()
    {
        while (head != None) Remove(head);
    }
}
