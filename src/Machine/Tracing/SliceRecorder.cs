namespace IrqBench.Machine.Tracing;

/// <summary>Turns one track's consecutive bookings into slices: adjacent bookings with the same name become one
/// slice, so a trace shows states, not every charged primitive.</summary>
internal sealed class SliceRecorder(ITraceSink sink, int track)
{
    private string? name;
    private string category = "";
    private long start, end;

    public void Add(string sliceName, string sliceCategory, long s, long e)
    {
        if (ReferenceEquals(sliceName, name) && s == end) { end = e; return; }
        Flush();
        name = sliceName; category = sliceCategory; start = s; end = e;
    }

    public void Flush()
    {
        if (name is not null && end > start) sink.Slice(track, name, category, start, end);
        name = null;
    }
}
