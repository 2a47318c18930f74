namespace IrqBench.Machine.Metrics;

/// <summary>A named counter. Components look a counter up once and then increment the field: no per-event lookup.</summary>
public sealed class Counter(string name)
{
    public string Name { get; } = name;
    public long Value;

    public void Increment() => Value++;
    public void Add(long n) => Value += n;
    public override string ToString() => $"{Name}={Value}";
}
