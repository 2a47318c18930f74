using IrqBench.Machine.Metrics;

namespace IrqBench.Machine.Locks;

/// <summary>
/// A host spinlock as the model sees it: a set of busy intervals on the simulated timeline. A taker that arrives
/// while the lock is held waits until the holder's release, and the wait is counted (acquisitions, contended
/// acquisitions and wait cycles, per lock name and in total).
/// </summary>
/// <remarks>
/// A vCPU runs a short burst of guest and hypervisor work inside one event, with its own time cursor ahead of the
/// queue's clock (see <see cref="Vcpus.Vcpu"/>). Bursts of different vCPUs are therefore not processed in time order,
/// so the lock keeps its recent hold intervals and books a new hold in the first gap that fits at or after the
/// requested time, instead of assuming that the last booking is the latest. Intervals that end before the queue's
/// clock can no longer overlap anything and are dropped.
/// </remarks>
public sealed class ModelLock
{
    private const int MaxIntervals = 32;
    private readonly long[] start = new long[MaxIntervals];
    private readonly long[] end = new long[MaxIntervals];
    private int count;
    private readonly Counter acquisitions, contended, waitCycles;
    private readonly MetricSet metrics;

    internal ModelLock(string name, string kind, MetricSet metrics)
    {
        Name = name;
        this.metrics = metrics;
        // Counted per kind of lock (all ap_list locks together), so counters.csv does not grow with the vCPU count.
        acquisitions = metrics.Get($"lock_acquisitions.{kind}");
        contended = metrics.Get($"lock_contended.{kind}");
        waitCycles = metrics.Get($"lock_wait_cycles.{kind}");
    }

    public string Name { get; }

    /// <summary>
    /// Takes the lock at <paramref name="at"/> for <paramref name="hold"/> cycles. Returns the time the lock was
    /// obtained (later than <paramref name="at"/> when contended). <paramref name="queueNow"/> is the event clock,
    /// used to forget intervals that are over.
    /// </summary>
    public long Acquire(long at, long hold, long queueNow)
    {
        Prune(queueNow);
        long t = at;
        // First fit: move past every interval that overlaps [t, t+hold), re-checking after each move.
        bool moved = true;
        while (moved)
        {
            moved = false;
            for (int i = 0; i < count; i++)
            {
                if (start[i] < t + hold && t < end[i] && end[i] > t)
                {
                    t = end[i];
                    moved = true;
                }
            }
        }
        Book(t, t + Math.Max(hold, 1));
        acquisitions.Value++; metrics.LockAcquisitions.Value++;
        if (t > at)
        {
            contended.Value++; metrics.LockContended.Value++;
            waitCycles.Value += t - at; metrics.LockWaitCycles.Value += t - at;
        }
        return t;
    }

    private void Prune(long now)
    {
        int w = 0;
        for (int i = 0; i < count; i++)
        {
            if (end[i] <= now) continue;
            start[w] = start[i]; end[w] = end[i]; w++;
        }
        count = w;
    }

    private void Book(long s, long e)
    {
        if (count == MaxIntervals)
        {
            // Forget the interval that ends first: the oldest commitments matter least to takers still to come.
            int victim = 0;
            for (int i = 1; i < count; i++) if (end[i] < end[victim]) victim = i;
            start[victim] = start[--count]; end[victim] = end[count];
        }
        start[count] = s; end[count] = e; count++;
    }
}

/// <summary>The locks of a run: one per (kind, instance); the ap_list lock of vCPU 3 is Get("ap_list", 3).
/// Look a lock up once at construction, not per event.</summary>
public sealed class LockTable(MetricSet metrics)
{
    private readonly Dictionary<string, ModelLock> locks = new(StringComparer.Ordinal);

    public ModelLock Get(string kind, int instance = -1)
    {
        string name = instance < 0 ? kind : $"{kind}/{instance}";
        if (!locks.TryGetValue(name, out var l)) locks[name] = l = new ModelLock(name, kind, metrics);
        return l;
    }
}
