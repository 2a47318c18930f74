using CsvHelper;

namespace IrqBench.Harness.Output;

/// <summary>CSV output: LF line ends (the files are committed and diffed), invariant culture (CsvHelper's default),
/// written atomically.</summary>
public static class CsvFiles
{
    public static CsvWriterOptions Options => new() { NewLine = "\n" };

    public static void WriteRuns(string path, IEnumerable<RunRow> rows) =>
        AtomicFile.Write(path, tmp => { using var w = CsvWriter.ToFile(tmp, Options); w.WriteRecords(rows); });

    public static void WriteCounters(string path, IEnumerable<CounterRow> rows) =>
        AtomicFile.Write(path, tmp => { using var w = CsvWriter.ToFile(tmp, Options); w.WriteRecords(rows); });

    public static void WriteMicrobench(string path, IEnumerable<MicrobenchRow> rows) =>
        AtomicFile.Write(path, tmp => { using var w = CsvWriter.ToFile(tmp, Options); w.WriteRecords(rows); });

    public static List<RunRow> ReadRuns(string path)
    {
        using var r = CsvReader.FromFile(path);
        return r.GetRecords<RunRow>().ToList();
    }
}
