using System.Globalization;
using System.Text;
using IrqBench.Harness.Output;
using IrqBench.Harness.Report;
using IrqBench.Harness.Stats;
using IrqBench.Harness.Suite;

namespace IrqBench.Harness.Sweep;

/// <summary>
/// The files of a sweep folder. <c>grid.txt</c> lists the whole grid, one run per line with its index: it pins what an
/// index means, so a folder is never resumed or merged with another spec's runs. Each finished run is
/// <c>parts/NNNNNN.{counters,exits,latency}.csv</c> then <c>parts/NNNNNN.runs.csv</c>, each written atomically; the
/// runs file is written last, so its presence means the run is complete. runs.csv, counters.csv, exits.csv,
/// latency.csv and summary.csv are assembled from the parts in index order by concatenating their text, so any split
/// into shards (and any job count) gives the same bytes.
/// </summary>
public sealed class SweepStore(string dir)
{
    public const string GridFile = "grid.txt", PartsDir = "parts";

    /// <summary>The files a sweep folder's runs are assembled into.</summary>
    public static readonly IReadOnlyList<string> Outputs =
        [ResultsFolder.Runs, ResultsFolder.Counters, ResultsFolder.Exits, ResultsFolder.Latency, ResultsFolder.Summary];

    /// <summary>One finished run's CSV text, header included.</summary>
    public sealed record Part(string Runs, string Counters, string Exits, string Latency);

    public string Dir { get; } = dir;

    public static string GridText(IReadOnlyList<Scenario> grid)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < grid.Count; i++) sb.Append(CultureInfo.InvariantCulture, $"{i:D6} {grid[i].Label}\n");
        return sb.ToString();
    }

    /// <summary>Refuses a folder that already holds a sweep of another grid; nothing is written.</summary>
    public void CheckGrid(string gridText)
    {
        string path = Path.Combine(Dir, GridFile);
        if (File.Exists(path) && ReadGrid(path) != gridText)
            throw new InputException($"{path}: this folder holds a sweep of a different grid; use another --out (nothing was changed)");
    }

    /// <summary>Whether the folder holds a sweep's grid already.</summary>
    public bool HasGrid => File.Exists(Path.Combine(Dir, GridFile));

    /// <summary>Claims the folder for this grid, or refuses if it already holds another one.</summary>
    public void Bind(string gridText)
    {
        CheckGrid(gridText);
        string path = Path.Combine(Dir, GridFile);
        if (!File.Exists(path)) AtomicFile.WriteText(path, gridText);
    }

    /// <summary>The folder (an <see cref="OutputFolder"/> appropriate to whether it holds a grid already) that the
    /// assembled files are written into.</summary>
    public OutputFolder BeginOutput(string option = "--out") =>
        OutputFolder.Begin(Dir, HasGrid ? ResultKind.SweepOwn : ResultKind.SweepNew, option);

    private static string ReadGrid(string path)
    {
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InputException($"{path}: cannot read it: {e.Message}"); }
    }

    public string GridTextOnDisk()
    {
        string path = Path.Combine(Dir, GridFile);
        return File.Exists(path) ? ReadGrid(path) : throw new InputException($"{Dir}: not a sweep folder ({GridFile} missing)");
    }

    private string PartFile(int index, string kind) => Path.Combine(Dir, PartsDir, $"{index.ToString("D6", CultureInfo.InvariantCulture)}.{kind}.csv");

    public bool IsDone(int index) => File.Exists(PartFile(index, "runs"));

    /// <summary>Saves a finished run; returns its index.</summary>
    public int Save(int index, RunOutcome o)
    {
        AtomicFile.WriteText(PartFile(index, "counters"), CsvFiles.ToText(o.Counters));
        AtomicFile.WriteText(PartFile(index, "exits"), CsvFiles.ToText(o.Exits));
        AtomicFile.WriteText(PartFile(index, "latency"), CsvFiles.ToText(o.Latency));
        AtomicFile.WriteText(PartFile(index, "runs"), CsvFiles.ToText([o.Row]));
        return index;
    }

    /// <summary>A finished run's parts, each checked before anything is assembled from it: the header its file must
    /// have, the runs part exactly one row of the run grid line <paramref name="index"/> names, the other parts rows of
    /// that run only. A folder from before exits and latency were kept has only runs and counters, and the missing parts
    /// read as empty. A damaged part is an <see cref="InputException"/> naming its file (delete it and rerun the
    /// sweep to redo that run).</summary>
    /// <param name="gridLine">the grid's line for the run, "NNNNNN label"</param>
    public Part ReadPart(int index, string gridLine)
    {
        string runsFile = PartFile(index, "runs");
        string runs = ReadPartText(runsFile, required: true);
        var rows = ParsePart<RunRow>(runsFile, runs);
        if (rows.Count != 1) throw Damaged(runsFile, $"holds {Plural.Of(rows.Count, "run")}, not one");
        var row = rows[0];
        string label = gridLine.Length > 7 ? gridLine[7..] : "";
        if (!label.StartsWith($"{row.Controller} {row.Workload}", StringComparison.Ordinal)
            || !label.Contains($" {row.Vcpus.ToString(CultureInfo.InvariantCulture)} vCPUs seed {row.Seed.ToString(CultureInfo.InvariantCulture)} (", StringComparison.Ordinal))
            throw Damaged(runsFile, $"is the run {row.RunId}, not grid run {index} ('{label}')");
        try { RowChecks.Runs(runsFile, rows); }
        catch (InputException e) { throw Damaged(runsFile, e.Message); }

        string Other<T>(string kind, bool required, Func<T, string> run)
        {
            string file = PartFile(index, kind), text = ReadPartText(file, required);
            if (text.Length == 0) return "";
            if (ParsePart<T>(file, text).FirstOrDefault(r => run(r) != row.RunId) is { } stray)
                throw Damaged(file, $"holds rows of run {run(stray)}, not of {row.RunId}");
            return text;
        }
        return new Part(runs, Other<CounterRow>("counters", true, r => r.Run), Other<ExitRow>("exits", false, r => r.Run),
            Other<LatencyRow>("latency", false, r => r.Run));
    }

    private static string ReadPartText(string file, bool required)
    {
        try { return File.ReadAllText(file); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return required ? throw Damaged(file, "is missing") : "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw Damaged(file, $"cannot be read: {e.Message}"); }
    }

    private static List<T> ParsePart<T>(string file, string text)
    {
        string header = CsvFiles.ToText(Array.Empty<T>());
        if (!text.StartsWith(header, StringComparison.Ordinal) || !text.EndsWith('\n'))
            throw Damaged(file, text.StartsWith(header, StringComparison.Ordinal) ? "is truncated (its last line is incomplete)" : $"does not start with the header {header.TrimEnd()}");
        return CsvFiles.Parse<T>(file, text);
    }

    private static InputException Damaged(string file, string problem) =>
        new($"{file}: a damaged part: {problem}; delete it and rerun the sweep to redo that run (nothing was written)");

    /// <summary>Writes runs.csv, counters.csv, exits.csv, latency.csv and summary.csv of the given parts (in index
    /// order) into <paramref name="outDir"/> (a staging folder).</summary>
    public static void Assemble(string outDir, IEnumerable<Part> parts)
    {
        var runs = new StringBuilder(CsvFiles.ToText(Array.Empty<RunRow>()));
        var counters = new StringBuilder(CsvFiles.ToText(Array.Empty<CounterRow>()));
        var exits = new StringBuilder(CsvFiles.ToText(Array.Empty<ExitRow>()));
        var latency = new StringBuilder(CsvFiles.ToText(Array.Empty<LatencyRow>()));
        foreach (var p in parts)
        {
            runs.Append(WithoutHeader(p.Runs));
            counters.Append(WithoutHeader(p.Counters));
            exits.Append(WithoutHeader(p.Exits));
            latency.Append(WithoutHeader(p.Latency));
        }
        AtomicFile.WriteText(Path.Combine(outDir, ResultsFolder.Runs), runs.ToString());
        AtomicFile.WriteText(Path.Combine(outDir, ResultsFolder.Counters), counters.ToString());
        AtomicFile.WriteText(Path.Combine(outDir, ResultsFolder.Exits), exits.ToString());
        AtomicFile.WriteText(Path.Combine(outDir, ResultsFolder.Latency), latency.ToString());
        var rows = CsvFiles.Parse<RunRow>(Path.Combine(outDir, ResultsFolder.Runs), runs.ToString());
        CsvFiles.WriteSummary(Path.Combine(outDir, ResultsFolder.Summary), Summarizer.Summarize(rows));
    }

    private static string WithoutHeader(string csv) => csv.Length == 0 ? "" : csv[(csv.IndexOf('\n') + 1)..];
}
