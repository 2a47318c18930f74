using System.Globalization;

namespace IrqBench.Harness.Cli;

/// <summary><c>--trace FILE</c> and <c>--trace-window START:END</c> (simulated µs): checked before the run, so a bad
/// value is exit 2 with nothing run and nothing written.</summary>
internal static class TraceWindow
{
    public static (double FromUs, double? ToUs) Parse(string? window, string? tracePath)
    {
        if (window is null) return (0, null);
        if (tracePath is null) throw new InputException($"--trace-window {window}: give --trace FILE too (the window is of the trace)");
        int colon = window.IndexOf(':');
        if (colon < 0) throw new InputException($"--trace-window {window}: expected START:END in simulated µs (e.g. 1000:1500; END may be left out)");
        double from = Number(window, window[..colon], "START");
        double? to = colon == window.Length - 1 ? null : Number(window, window[(colon + 1)..], "END");
        if (to is { } end && end <= from) throw new InputException($"--trace-window {window}: END must be after START");
        return (from, to);
    }

    private static double Number(string window, string text, string what)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v) || v < 0 || v > 1e12)
            throw new InputException($"--trace-window {window}: {what} '{text}' is not a time in µs from 0 to 1e12");
        return v;
    }

    /// <summary>The trace file can be written: its folder can be created and written, and it is not a folder itself.</summary>
    public static void CheckWritable(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new InputException("--trace: the file name is empty");
        if (Directory.Exists(path)) throw new InputException($"--trace {path}: is a folder; give a file name");
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        try
        {
            Directory.CreateDirectory(dir);
            string probe = Path.Combine(dir, $".irqbench-write-test.{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InputException($"--trace {path}: cannot write there: {e.Message}");
        }
    }
}
