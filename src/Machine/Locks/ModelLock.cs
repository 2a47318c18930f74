using IrqBench.Machine.Metrics;

namespace IrqBench.Machine.Locks;

/// <summary>
/// A host spinlock as the model sees it: a set of busy intervals on the simulated timeline. A taker that arrives
/// while the lock is held waits until the holder's release, and the wait is counted (acquisitions, contended
/// acquisitions and wait cycles, per lock name and in total). The lock also knows which CPU held it last before each
/// taker: a lock last taken on another CPU costs the taker one cache-line transfer (counted as
/// <c>line_transfers.lock</c>).
/// </summary>
/// <remarks>
/// A vCPU runs a short burst of guest and hypervisor work inside one event, with its own time cursor ahead of the
/// queue's clock (see <see cref="Vcpus.Vcpu"/>). Bursts of different vCPUs are therefore not processed in time order,
/// so the lock keeps its recent hold intervals and books a new hold in the first gap that fits at or after the
/// requested time, instead of assuming that the last booking is the latest; the previous holder is the one whose
/// interval ended last before the new one starts. Intervals that end before the queue's clock can no longer overlap
/// anything and are dropped (the last of them is remembered as the previous holder for later takers).
/// </remarks>
public sealed class ModelLock
{
    private const int MaxIntervals = 32;
    private readonly long[] start = new long[MaxIntervals];
    private readonly long[] end = new long[MaxIntervals];
    private readonly int[] owner = new int[MaxIntervals];
    private int count;
    private long forgottenEnd = long.MinValue;
    private int forgottenOwner = NoOwner;
    private readonly Counter acquisitions, contended, waitCycles, transfers;
    private readonly MetricSet metrics;

    private const int NoOwner = int.MinValue;

    internal ModelLock(string name, string kind, MetricSet metrics)
    {
        Name = name;
        this.metrics = metrics;
        // Counted per kind of lock (all ap_list locks together), so counters.csv does not grow with the vCPU count.
        acquisitions = metrics.Get($"lock_acquisitions.{kind}");
        contended = metrics.Get($"lock_contended.{kind}");
        waitCycles = metrics.Get($"lock_wait_cycles.{kind}");
        transfers = metrics.Get("line_transfers.lock");
    }

    public string Name { get; }

    /// <summary>
    /// Takes the lock at <paramref name="at"/> for <paramref name="hold"/> cycles on CPU <paramref name="cpu"/>.
    /// Returns the time the lock was obtained (later than <paramref name="at"/> when contended);
    /// <paramref name="moved"/> says whether the previous holder was another CPU, in which case the hold also covers
    /// <paramref name="transfer"/> (the lock word and the data under it come over while the lock is held).
    /// <paramref name="queueNow"/> is the event clock, used to forget intervals that are over.
    /// </summary>
    public long Acquire(long at, long hold, long queueNow, int cpu, long transfer, out bool moved)
    {
        Prune(queueNow);
        long t = FirstFit(at, hold);
        int previous = PreviousOwner(t);
        moved = previous != NoOwner && previous != cpu;
        if (moved)
        {
            hold += transfer;
            t = FirstFit(t, hold); // the longer hold may not fit the gap it was offered
            transfers.Value++; metrics.LineTransfers.Value++;
        }
        Book(t, t + Math.Max(hold, 1), cpu);
        acquisitions.Value++; metrics.LockAcquisitions.Value++;
        if (t > at)
        {
            contended.Value++; metrics.LockContended.Value++;
            waitCycles.Value += t - at; metrics.LockWaitCycles.Value += t - at;
        }
        return t;
    }

    /// <summary>The first time at or after <paramref name="t"/> when the lock is free for <paramref name="hold"/>
    /// cycles: move past every interval that overlaps, re-checking after each move.</summary>
    private long FirstFit(long t, long hold)
    {
        bool shifted = true;
        while (shifted)
        {
            shifted = false;
            for (int i = 0; i < count; i++)
            {
                if (start[i] < t + hold && t < end[i] && end[i] > t)
                {
                    t = end[i];
                    shifted = true;
                }
            }
        }
        return t;
    }

    /// <summary>The CPU whose hold ended last at or before <paramref name="t"/>.</summary>
    private int PreviousOwner(long t)
    {
        long best = forgottenEnd <= t ? forgottenEnd : long.MinValue;
        int who = forgottenEnd <= t ? forgottenOwner : NoOwner;
        for (int i = 0; i < count; i++)
            if (end[i] <= t && end[i] > best) { best = end[i]; who = owner[i]; }
        return who;
    }

    private void Prune(long now)
    {
        int w = 0;
        for (int i = 0; i < count; i++)
        {
            if (end[i] <= now)
            {
                Forget(i);
                continue;
            }
            start[w] = start[i]; end[w] = end[i]; owner[w] = owner[i]; w++;
        }
        count = w;
    }

    private void Forget(int i)
    {
        if (end[i] >= forgottenEnd) { forgottenEnd = end[i]; forgottenOwner = owner[i]; }
    }

    private void Book(long s, long e, int cpu)
    {
        if (count == MaxIntervals)
        {
            // Forget the interval that ends first: the oldest commitments matter least to takers still to come.
            int victim = 0;
            for (int i = 1; i < count; i++) if (end[i] < end[victim]) victim = i;
            Forget(victim);
            start[victim] = start[--count]; end[victim] = end[count]; owner[victim] = owner[count];
        }
        start[count] = s; end[count] = e; owner[count] = cpu; count++;
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
