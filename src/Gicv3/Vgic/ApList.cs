namespace IrqBench.Gicv3.Vgic;

/// <summary>
/// A vCPU's ap_list (or v6.19's overflow list): the interrupts that are pending or active for it, as an intrusive
/// doubly linked list through <see cref="VgicIrq"/>, so queueing and pruning allocate nothing.
/// </summary>
internal sealed class ApList
{
    public VgicIrq? Head { get; private set; }
    public VgicIrq? Tail { get; private set; }
    public int Count { get; private set; }
    public bool IsEmpty => Head is null;

    public void AddTail(VgicIrq irq)
    {
        if (irq.List is not null) throw new InvalidOperationException($"{irq} is already on an ap_list");
        irq.List = this;
        irq.Prev = Tail;
        irq.Next = null;
        if (Tail is null) Head = irq; else Tail.Next = irq;
        Tail = irq;
        Count++;
    }

    public void Remove(VgicIrq irq)
    {
        if (irq.List != this) throw new InvalidOperationException($"{irq} is not on this list");
        if (irq.Prev is null) Head = irq.Next; else irq.Prev.Next = irq.Next;
        if (irq.Next is null) Tail = irq.Prev; else irq.Next.Prev = irq.Prev;
        irq.Prev = irq.Next = null;
        irq.List = null;
        Count--;
    }

    /// <summary>Moves <paramref name="first"/> and everything after it to the tail of <paramref name="to"/>
    /// (list_cut_position + splice).</summary>
    public void MoveTailTo(VgicIrq first, ApList to)
    {
        for (var irq = first; irq is not null;)
        {
            var next = irq.Next;
            Remove(irq);
            to.AddTail(irq);
            irq = next;
        }
    }

    /// <summary>Appends every entry of <paramref name="from"/> (list_splice_tail_init).</summary>
    public void SpliceTail(ApList from)
    {
        while (from.Head is { } irq)
        {
            from.Remove(irq);
            AddTail(irq);
        }
    }

    /// <summary>Rebuilds the list in the order of <paramref name="ordered"/> (which holds exactly its entries).</summary>
    public void Relink(ReadOnlySpan<VgicIrq> ordered)
    {
        VgicIrq? prev = null;
        foreach (var irq in ordered)
        {
            irq.Prev = prev;
            irq.Next = null;
            if (prev is null) Head = irq; else prev.Next = irq;
            prev = irq;
        }
        Tail = prev;
    }
}
