namespace IrqBench.Machine.Simulation;

/// <summary>
/// The single event queue of a run, ordered by (time, sequence number). The sequence number makes the order of
/// events at the same cycle the order in which they were posted, so a run is deterministic. It is a 4-ary min-heap
/// of entries stored inline (time, sequence, target, kind, argument) and compared without a comparer object: the
/// simulator's innermost loop. Posting and popping allocate nothing once the array has grown to the run's working size.
/// </summary>
public sealed class EventQueue
{
    private Entry[] heap = new Entry[256];
    private int count;
    private long sequence;

    public long Now { get; private set; }
    public int Count => count;
    public long EventsProcessed { get; private set; }

    public void Post(long time, IEventTarget target, int kind, long arg = 0)
    {
        if (time < Now)
            throw new InvalidOperationException($"event posted in the past: {time} < now {Now}");
        if (count == heap.Length) Array.Resize(ref heap, heap.Length * 2);
        var e = new Entry(time, sequence++, target, kind, arg);
        // sift up
        int i = count++;
        while (i > 0)
        {
            int parent = (i - 1) >> 2;
            if (!Before(e, heap[parent])) break;
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = e;
    }

    /// <summary>Runs events in order until the queue is empty, <paramref name="stop"/> says so, or the next event lies
    /// beyond <paramref name="limit"/>.</summary>
    public void Run(long limit, Func<bool> stop)
    {
        while (count > 0 && heap[0].Time <= limit && !stop())
            Step();
    }

    /// <summary>Pops and runs one event; false when empty.</summary>
    public bool Step()
    {
        if (count == 0) return false;
        var e = heap[0];
        RemoveRoot();
        Now = e.Time;
        EventsProcessed++;
        e.Target.OnEvent(e.Kind, e.Arg);
        return true;
    }

    private void RemoveRoot()
    {
        var last = heap[--count];
        heap[count] = default; // drop the reference to the target
        if (count == 0) return;
        // sift the last entry down from the root
        int i = 0;
        while (true)
        {
            int first = (i << 2) + 1;
            if (first >= count) break;
            int best = first, end = Math.Min(first + 4, count);
            for (int c = first + 1; c < end; c++)
                if (Before(heap[c], heap[best])) best = c;
            if (!Before(heap[best], last)) break;
            heap[i] = heap[best];
            i = best;
        }
        heap[i] = last;
    }

    private static bool Before(in Entry a, in Entry b) => a.Time < b.Time || (a.Time == b.Time && a.Seq < b.Seq);

    private readonly record struct Entry(long Time, long Seq, IEventTarget Target, int Kind, long Arg);
}
