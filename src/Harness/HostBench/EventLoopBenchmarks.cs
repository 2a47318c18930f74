using BenchmarkDotNet.Attributes;
using IrqBench.Machine.Simulation;

namespace IrqBench.Harness.HostBench;

/// <summary>
/// The event loop's cost per event against a bare <see cref="PriorityQueue{TElement,TPriority}"/> push+pop of the same
/// (time, sequence) keys. Each operation is one event; the heap holds <see cref="Pending"/> events, like a run with
/// that many vCPUs and timers in flight.
/// </summary>
[MemoryDiagnoser]
public class EventLoopBenchmarks
{
    private const int Events = 100_000;

    [Params(64, 1024)] public int Pending;

    private EventQueue queue = null!;
    private Reposter target = null!;
    private PriorityQueue<int, (long, long)> bare = null!;

    [GlobalSetup]
    public void Setup()
    {
        queue = new EventQueue();
        target = new Reposter(queue);
        bare = new PriorityQueue<int, (long, long)>(Pending + 1);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public long BarePriorityQueuePushPop()
    {
        long seq = 0, now = 0, sum = 0;
        bare.Clear();
        for (int i = 0; i < Pending; i++) bare.Enqueue(i, (i * 7L, seq++));
        for (int i = 0; i < Events; i++)
        {
            bare.TryDequeue(out int e, out var key);
            now = key.Item1;
            sum += e;
            bare.Enqueue(e, (now + 1 + (e & 15), seq++));
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public long EventQueuePostRun()
    {
        target.Remaining = Events;
        target.Pending = Pending;
        for (int i = 0; i < Pending; i++) queue.Post(queue.Now + i * 7L, target, i);
        while (queue.Step()) { } // exactly Events events: the last Pending ones are not re-posted
        return target.Seen;
    }

    /// <summary>Re-posts each event a little later, as a vCPU's next step would.</summary>
    private sealed class Reposter(EventQueue q) : IEventTarget
    {
        public int Remaining;
        public long Seen;

        public int Pending;

        public void OnEvent(int kind, long arg)
        {
            Seen++;
            if (--Remaining >= Pending) q.Post(q.Now + 1 + (kind & 15), this, kind, arg);
        }
    }
}
