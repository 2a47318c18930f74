using IrqBench.Machine.Vcpus;

namespace IrqBench.Machine.Metrics;

/// <summary>One vCPU's exits by reason — count, total, shortest and longest handling time in hypervisor cycles — for
/// the exit report of a single vCPU (perf kvm stat's <c>--vcpu</c>). The VM's totals are <see cref="ExitStats"/>.</summary>
public sealed class ExitTally
{
    private readonly long[] count = new long[ExitStats.Reasons.Count], total = new long[ExitStats.Reasons.Count];
    private readonly long[] min = new long[ExitStats.Reasons.Count], max = new long[ExitStats.Reasons.Count];

    public ExitTally() => Reset();

    public long Count(ExitReason r) => count[(int)r];
    public long TotalCycles(ExitReason r) => total[(int)r];
    public long MinCycles(ExitReason r) => count[(int)r] == 0 ? 0 : min[(int)r];
    public long MaxCycles(ExitReason r) => max[(int)r];

    internal void Record(ExitReason r, long cycles)
    {
        int i = (int)r;
        count[i]++;
        total[i] += cycles;
        if (cycles < min[i]) min[i] = cycles;
        if (cycles > max[i]) max[i] = cycles;
    }

    internal void AddToLast(ExitReason r, long cycles) => total[(int)r] += cycles;

    public void Reset()
    {
        Array.Clear(count);
        Array.Clear(total);
        Array.Fill(min, long.MaxValue);
        Array.Clear(max);
    }

    public ExitTally Copy()
    {
        var t = new ExitTally();
        Array.Copy(count, t.count, count.Length);
        Array.Copy(total, t.total, total.Length);
        Array.Copy(min, t.min, min.Length);
        Array.Copy(max, t.max, max.Length);
        return t;
    }
}
