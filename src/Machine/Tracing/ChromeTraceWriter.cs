using System.Text.Json;

namespace IrqBench.Machine.Tracing;

/// <summary>
/// Writes a run's timeline as Chrome trace-event JSON (<c>{"traceEvents": [...]}</c>), which ui.perfetto.dev and
/// chrome://tracing open: one thread per vCPU (and one for the host threads) with its states as complete events
/// ("X"), flows ("s"/"f", bound to the enclosing slices) from an IPI's send to its handler and from a kick to the
/// exit it forces, instants ("i") and counters ("C"). Times are simulated µs. Only what falls inside
/// [<paramref name="windowStart"/>, <paramref name="windowEnd"/>) (cycles) is written; slices are clipped to it, a
/// flow is written when both of its ends are inside.
/// </summary>
public sealed class ChromeTraceWriter : ITraceSink, IDisposable
{
    private const int Pid = 1;
    private readonly Utf8JsonWriter json;
    private readonly double cyclesPerUs;
    private readonly long windowStart, windowEnd;
    private readonly Dictionary<long, (string Name, int Track, long Time)> openFlows = [];
    private readonly HashSet<int> tracks = [];
    private long nextFlow;

    public ChromeTraceWriter(Stream output, long frequencyHz, long windowStart = 0, long windowEnd = long.MaxValue)
    {
        json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false });
        cyclesPerUs = frequencyHz / 1e6;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        json.WriteStartObject();
        json.WriteString("displayTimeUnit", "ns");
        json.WriteStartArray("traceEvents");
        Meta("process_name", -100, "VM (simulated)");
    }

    public long SlicesWritten { get; private set; }
    public long FlowsWritten { get; private set; }

    private bool Inside(long t) => t >= windowStart && t < windowEnd;
    private double Us(long cycles) => cycles / cyclesPerUs;
    private static int Tid(int track) => track < 0 ? 10_000 : track;

    private void Track(int track)
    {
        if (tracks.Add(track)) Meta("thread_name", Tid(track), track < 0 ? "host threads (VMM, irqfd)" : $"vCPU {track}");
    }

    private void Meta(string what, int tid, string name)
    {
        json.WriteStartObject();
        json.WriteString("name", what);
        json.WriteString("ph", "M");
        json.WriteNumber("pid", Pid);
        if (tid != -100) json.WriteNumber("tid", tid);
        json.WriteStartObject("args");
        json.WriteString("name", name);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    public void Slice(int track, string name, string category, long start, long end)
    {
        long s = Math.Max(start, windowStart), e = Math.Min(end, windowEnd);
        if (e <= s) return;
        Track(track);
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("cat", category);
        json.WriteString("ph", "X");
        json.WriteNumber("ts", Us(s));
        json.WriteNumber("dur", Us(e) - Us(s));
        json.WriteNumber("pid", Pid);
        json.WriteNumber("tid", Tid(track));
        json.WriteEndObject();
        SlicesWritten++;
    }

    public long NewFlow() => ++nextFlow;

    public void FlowStart(long flow, string name, int track, long time)
    {
        if (Inside(time)) openFlows[flow] = (name, track, time);
    }

    public void FlowEnd(long flow, int track, long time)
    {
        if (!openFlows.Remove(flow, out var start) || !Inside(time)) return;
        Track(start.Track);
        Track(track);
        Flow("s", flow, start.Name, start.Track, start.Time);
        Flow("f", flow, start.Name, track, time);
        FlowsWritten++;
    }

    private void Flow(string ph, long id, string name, int track, long time)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("cat", "flow");
        json.WriteString("ph", ph);
        json.WriteNumber("id", id);
        if (ph == "f") json.WriteString("bp", "e");
        json.WriteNumber("ts", Us(time));
        json.WriteNumber("pid", Pid);
        json.WriteNumber("tid", Tid(track));
        json.WriteEndObject();
    }

    public void Instant(int track, string name, long time)
    {
        if (!Inside(time)) return;
        Track(track);
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("ph", "i");
        json.WriteString("s", "t");
        json.WriteNumber("ts", Us(time));
        json.WriteNumber("pid", Pid);
        json.WriteNumber("tid", Tid(track));
        json.WriteEndObject();
    }

    public void Counter(string name, long time, long value)
    {
        if (!Inside(time)) return;
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("ph", "C");
        json.WriteNumber("ts", Us(time));
        json.WriteNumber("pid", Pid);
        json.WriteStartObject("args");
        json.WriteNumber("value", value);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>Closes the JSON (flows whose handler never ran are left out).</summary>
    public void Dispose()
    {
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        json.Dispose();
    }
}
