using CsvHelper;

namespace IrqBench.Harness.Output;

/// <summary>CSV output: LF line ends (the files are committed and diffed), invariant culture (CsvHelper's default),
/// written atomically. Reads turn a missing or malformed file into an <see cref="InputException"/> naming it.</summary>
public static class CsvFiles
{
    public static CsvWriterOptions Options => new() { NewLine = "\n" };

    public static void WriteRuns(string path, IEnumerable<RunRow> rows) => Write(path, rows);
    public static void WriteCounters(string path, IEnumerable<CounterRow> rows) => Write(path, rows);
    public static void WriteMicrobench(string path, IEnumerable<MicrobenchRow> rows) => Write(path, rows);
    public static void WriteSummary(string path, IEnumerable<SummaryRow> rows) => Write(path, rows);
    public static void WriteExits(string path, IEnumerable<ExitRow> rows) => Write(path, rows);
    public static void WriteLatency(string path, IEnumerable<LatencyRow> rows) => Write(path, rows);
    public static void WriteLatencyStages(string path, IEnumerable<LatencyStageRow> rows) => Write(path, rows);
    public static void WriteTrust(string path, IEnumerable<Trust.ForgeryRow> rows) => Write(path, rows);
    public static void WriteTrustSurface(string path, IEnumerable<Trust.SurfaceRow> rows) => Write(path, rows);

    public static List<RunRow> ReadRuns(string path) => Read<RunRow>(path);
    public static List<MicrobenchRow> ReadMicrobench(string path) => Read<MicrobenchRow>(path);
    public static List<SummaryRow> ReadSummary(string path) => Read<SummaryRow>(path);
    public static List<ExitRow> ReadExits(string path) => Read<ExitRow>(path);
    public static List<LatencyRow> ReadLatency(string path) => Read<LatencyRow>(path);
    public static List<LatencyStageRow> ReadLatencyStages(string path) => Read<LatencyStageRow>(path);
    public static List<Trust.ForgeryRow> ReadTrust(string path) => Read<Trust.ForgeryRow>(path);
    public static List<Trust.SurfaceRow> ReadTrustSurface(string path) => Read<Trust.SurfaceRow>(path);

    /// <summary>The text CsvHelper writes for these rows, header included: what a file would hold.</summary>
    public static string ToText<T>(IEnumerable<T> rows)
    {
        using var sw = new StringWriter();
        using (var w = CsvWriter.Create(sw, Options, leaveOpen: true)) w.WriteRecords(rows);
        return sw.ToString();
    }

    private static void Write<T>(string path, IEnumerable<T> rows) =>
        AtomicFile.Write(path, tmp => { using var w = CsvWriter.ToFile(tmp, Options); w.WriteRecords(rows); });

    private static List<T> Read<T>(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: file not found");
        InputFile.CheckRegular(path);
        try
        {
            using var r = CsvReader.FromFile(path, new CsvReaderOptions { Separator = ',' });
            return r.GetRecords<T>().ToList();
        }
        catch (Exception e) when (e is CsvFormatException or KeyNotFoundException or FormatException or InvalidDataException or OverflowException)
        {
            throw new InputException($"{path}: not a valid {typeof(T).Name} CSV: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{path}: cannot read it: {e.Message}");
        }
    }

    /// <summary>Rows of CSV text that was read from <paramref name="path"/> (a sweep's part).</summary>
    public static List<T> Parse<T>(string path, string text)
    {
        try
        {
            using var r = CsvReader.FromText(text, new CsvReaderOptions { Separator = ',' });
            return r.GetRecords<T>().ToList();
        }
        catch (Exception e) when (e is CsvFormatException or KeyNotFoundException or FormatException or InvalidDataException or OverflowException)
        {
            throw new InputException($"{path}: not a valid {typeof(T).Name} CSV: {e.Message}");
        }
    }
}
