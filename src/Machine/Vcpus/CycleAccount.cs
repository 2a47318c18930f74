using IrqBench.Machine.Metrics;

namespace IrqBench.Machine.Vcpus;

/// <summary>
/// One vCPU's time, booked as consecutive intervals of its timeline, each of one <see cref="TimeClass"/>: the run's
/// totals (guest_cycles, hyp_cycles, idle_cycles), this vCPU's own totals, and the measurement window's share.
/// Bookings must be contiguous — an interval starts where the last one ended — so no cycle is lost; a gap is a model
/// error. An interval that starts before the last one ended overlaps time already booked: only its part beyond is
/// counted, so no cycle is counted twice. (That happens only when guest code runs on a vCPU outside its own events,
/// as test rigs that drive a vCPU directly before the simulation starts do.)
/// </summary>
internal sealed class CycleAccount(MetricSet m, MeasurementWindow window, Vcpu owner)
{
    private Tracing.SliceRecorder? slices;
    private readonly Counter[] run = [m.GuestCycles, m.HypCycles, m.IdleCycles];
    private readonly long[] own = new long[3];

    // Bookings that end after the event clock: the burst in progress on the timeline. They are what a window opened
    // or closed at a later time has to take back (see MeasurementWindow).
    private (TimeClass Class, long Start, long End)[] recent = new (TimeClass, long, long)[32];
    private int first, count;

    /// <summary>The end of the last booking: the vCPU's time is accounted up to here.</summary>
    public long Until { get; private set; }

    public long Own(TimeClass c) => own[(int)c];

    public void Book(TimeClass c, long start, long cycles, long clock)
    {
        long end = start + cycles;
        if (start > Until)
            throw new InvalidOperationException($"vCPU time booked from {start} but accounted up to {Until}: a gap in the timeline");
        if (end <= Until) return;
        start = Until;
        cycles = end - start;
        Until = end;
        run[(int)c].Value += cycles;
        own[(int)c] += cycles;
        if (window.Opened) window.Add(c, start, end);
        Remember(c, start, end, clock);
        if (owner.Vm.Trace is { } trace)
        {
            var (name, category) = owner.SliceName(c);
            (slices ??= new Tracing.SliceRecorder(trace, owner.Id.Value)).Add(name, category, start, end);
        }
    }

    /// <summary>Ends the slice in progress (the run is over).</summary>
    public void FlushSlices() => slices?.Flush();

    /// <summary>The window opened (or closed) at <paramref name="at"/> after this vCPU had booked beyond it: its
    /// bookings after <paramref name="at"/> are added to (taken out of) the window.</summary>
    public void Reconcile(long at, int sign)
    {
        for (int i = 0; i < count; i++)
        {
            var (c, s, e) = recent[(first + i) % recent.Length];
            if (e > at) window.AddFrom(c, s, e, at, sign);
        }
    }

    private void Remember(TimeClass c, long start, long end, long clock)
    {
        while (count > 0 && recent[first].End <= clock) { first = (first + 1) % recent.Length; count--; }
        if (end <= clock) return;
        if (count == recent.Length)
        {
            var grown = new (TimeClass, long, long)[recent.Length * 2];
            for (int i = 0; i < count; i++) grown[i] = recent[(first + i) % recent.Length];
            recent = grown;
            first = 0;
        }
        recent[(first + count) % recent.Length] = (c, start, end);
        count++;
    }
}
