namespace IrqBench.Machine.Vcpus;

/// <summary>
/// A word in guest memory that one vCPU spins on and another sets (the micro-benchmarks' "handled" flag). Setting
/// it ends the spinners' activity after the cache-line transfer time.
/// </summary>
public sealed class GuestFlag
{
    private readonly List<Vcpu> spinners = [];

    public bool IsSet { get; private set; }
    public long SetAt { get; private set; }

    /// <summary>Who set it: a vCPU sees its own store at once, another one after the cache-line transfer.</summary>
    public Vcpu? SetBy { get; private set; }

    public void Set(Vcpus.Vcpu by)
    {
        IsSet = true;
        SetAt = by.Now;
        SetBy = by;
        foreach (var s in spinners) s.FlagWasSet(this);
        spinners.Clear();
    }

    public void Clear() => IsSet = false;

    internal void AddSpinner(Vcpu cpu) { if (!spinners.Contains(cpu)) spinners.Add(cpu); }
    internal void RemoveSpinner(Vcpu cpu) => spinners.Remove(cpu);
}
