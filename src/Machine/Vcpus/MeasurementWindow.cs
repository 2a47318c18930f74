namespace IrqBench.Machine.Vcpus;

/// <summary>
/// The interval of simulated time a workload measures (hackbench: from the start byte to the last reap), and the
/// guest, hypervisor and idle cycles of every vCPU that fall inside it. The vCPUs book their time as intervals of
/// their timelines; each booking adds its overlap with the window. Bursts run ahead of the event clock, so some
/// bookings lie beyond the moment the window opens or closes: <see cref="VirtualMachine.OpenWindow"/> and
/// <see cref="VirtualMachine.CloseWindow"/> correct for those from each vCPU's log of recent bookings. Once the run
/// has closed its accounts, the three classes add up to exactly (end − start) × vCPUs.
/// </summary>
public sealed class MeasurementWindow
{
    private readonly long[] cycles = new long[3];

    public long Start { get; private set; } = long.MaxValue;
    public long End { get; private set; } = long.MaxValue;
    public bool Opened => Start != long.MaxValue;
    public bool Closed => End != long.MaxValue;

    /// <summary>Cycles of <paramref name="c"/> inside the window, over all vCPUs.</summary>
    public long Cycles(TimeClass c) => cycles[(int)c];

    internal void Open(long at) { Start = at; End = long.MaxValue; Array.Clear(cycles); }
    internal void Close(long at) => End = at;

    /// <summary>Adds the part of [start, end) that lies inside the window (negative <paramref name="sign"/> takes it
    /// back out).</summary>
    internal void Add(TimeClass c, long start, long end, int sign = 1)
    {
        long s = Math.Max(start, Start), e = Math.Min(end, End);
        if (e > s) cycles[(int)c] += sign * (e - s);
    }

    /// <summary>The part of [start, end) at or after <paramref name="from"/>, in the window.</summary>
    internal void AddFrom(TimeClass c, long start, long end, long from, int sign) => Add(c, Math.Max(start, from), end, sign);
}
