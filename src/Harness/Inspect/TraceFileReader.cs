using System.Text.Json;

namespace IrqBench.Harness.Inspect;

/// <summary>Reads a trace written by <c>irqbench run --trace</c> (Chrome trace-event JSON) back into a
/// <see cref="RecordedTrace"/>, in cycles at <paramref name="cyclesPerUs"/>, so that it can be drawn.</summary>
public static class TraceFileReader
{
    /// <summary>A trace this large is not drawn (a --trace-window keeps one small).</summary>
    public const int MaxBytes = 256 << 20;

    public static RecordedTrace Read(string path, double cyclesPerUs)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(Output.InputFile.ReadText(path, MaxBytes)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new InputException($"{path}: not a readable trace: {e.Message}");
        }
        using (doc)
        {
            try { return Events(path, doc, cyclesPerUs); }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new InputException($"{path}: not a trace irqbench wrote: an event lacks a field or has one of the wrong type ({e.Message})");
            }
        }
    }

    private static RecordedTrace Events(string path, JsonDocument doc, double cyclesPerUs)
    {
        {
            if (!doc.RootElement.TryGetProperty("traceEvents", out var events) || events.ValueKind != JsonValueKind.Array)
                throw new InputException($"{path}: no traceEvents array: not a Chrome trace-event file");
            var trace = new RecordedTrace(long.MinValue, long.MaxValue);
            var starts = new Dictionary<long, (string Name, int Track, long At)>();
            long Cycles(JsonElement e, string key) => (long)Math.Round(e.GetProperty(key).GetDouble() * cyclesPerUs);
            int Track(JsonElement e) => e.GetProperty("tid").GetInt32() is var t && t == 10_000 ? -1 : t;
            foreach (var e in events.EnumerateArray())
            {
                switch (e.GetProperty("ph").GetString())
                {
                    case "X":
                        long s = Cycles(e, "ts");
                        trace.Slices.Add(new RecordedTrace.TraceSlice(Track(e), e.GetProperty("name").GetString()!, e.GetProperty("cat").GetString()!, s, s + Cycles(e, "dur")));
                        break;
                    case "s":
                        starts[e.GetProperty("id").GetInt64()] = (e.GetProperty("name").GetString()!, Track(e), Cycles(e, "ts"));
                        break;
                    case "f" when starts.Remove(e.GetProperty("id").GetInt64(), out var st):
                        trace.Flows.Add(new RecordedTrace.TraceFlow(st.Name, st.Track, st.At, Track(e), Cycles(e, "ts")));
                        break;
                    case "i":
                        trace.Marks.Add(new RecordedTrace.TraceMark(Track(e), e.GetProperty("name").GetString()!, Cycles(e, "ts")));
                        break;
                }
            }
            return trace;
        }
    }
}
