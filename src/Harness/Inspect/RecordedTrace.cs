using IrqBench.Machine.Tracing;

namespace IrqBench.Harness.Inspect;

/// <summary>A trace kept in memory (slices, flows, instants) inside a window of cycles, for drawing it.</summary>
public sealed class RecordedTrace(long windowStart, long windowEnd) : ITraceSink
{
    public sealed record TraceSlice(int Track, string Name, string Category, long Start, long End);
    public sealed record TraceFlow(string Name, int FromTrack, long From, int ToTrack, long To);
    public sealed record TraceMark(int Track, string Name, long At);

    private readonly Dictionary<long, (string Name, int Track, long Time)> open = [];
    private long next;

    public List<TraceSlice> Slices { get; } = [];
    public List<TraceFlow> Flows { get; } = [];
    public List<TraceMark> Marks { get; } = [];

    public void Slice(int track, string name, string category, long start, long end)
    {
        long s = Math.Max(start, windowStart), e = Math.Min(end, windowEnd);
        if (e > s) Slices.Add(new TraceSlice(track, name, category, s, e));
    }

    public long NewFlow() => ++next;
    public void FlowStart(long flow, string name, int track, long time) => open[flow] = (name, track, time);

    public void FlowEnd(long flow, int track, long time)
    {
        if (open.Remove(flow, out var s) && s.Time >= windowStart && time < windowEnd) Flows.Add(new TraceFlow(s.Name, s.Track, s.Time, track, time));
    }

    public void Instant(int track, string name, long time)
    {
        if (time >= windowStart && time < windowEnd) Marks.Add(new TraceMark(track, name, time));
    }

    public void Counter(string name, long time, long value) { }
}
