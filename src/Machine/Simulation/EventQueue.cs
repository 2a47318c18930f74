namespace IrqBench.Machine.Simulation;

/// <summary>
/// The single event queue of a run, ordered by (time, sequence number). The sequence number makes the order of
/// events at the same cycle the order in which they were posted, so a run is deterministic. Posting and popping
/// allocate nothing once the heap has grown to the run's working size.
/// </summary>
public sealed class EventQueue
{
    private readonly PriorityQueue<Entry, Key> heap = new(256, KeyComparer.Instance);
    private long sequence;

    public long Now { get; private set; }
    public int Count => heap.Count;
    public long EventsProcessed { get; private set; }

    public void Post(long time, IEventTarget target, int kind, long arg = 0)
    {
        if (time < Now)
            throw new InvalidOperationException($"event posted in the past: {time} < now {Now}");
        heap.Enqueue(new Entry(target, kind, arg), new Key(time, sequence++));
    }

    /// <summary>Runs events in order until the queue is empty, <paramref name="stop"/> says so, or the next event lies
    /// beyond <paramref name="limit"/>.</summary>
    public void Run(long limit, Func<bool> stop)
    {
        while (heap.TryPeek(out _, out var key) && key.Time <= limit && !stop())
            Step();
    }

    /// <summary>Pops and runs one event; false when empty.</summary>
    public bool Step()
    {
        if (!heap.TryDequeue(out var e, out var key)) return false;
        Now = key.Time;
        EventsProcessed++;
        e.Target.OnEvent(e.Kind, e.Arg);
        return true;
    }

    private readonly record struct Entry(IEventTarget Target, int Kind, long Arg);

    private readonly record struct Key(long Time, long Seq);

    private sealed class KeyComparer : IComparer<Key>
    {
        public static readonly KeyComparer Instance = new();
        public int Compare(Key a, Key b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Seq.CompareTo(b.Seq);
    }
}
