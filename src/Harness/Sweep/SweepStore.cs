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

    /// <summary>Claims the folder for this grid, or refuses if it already holds another one.</summary>
    public void Bind(string gridText)
    {
        string path = Path.Combine(Dir, GridFile);
        if (File.Exists(path))
        {
            if (File.ReadAllText(path) != gridText)
                throw new InputException($"{path}: this folder holds a sweep of a different grid; use another --out (nothing was changed)");
            return;
        }
        AtomicFile.WriteText(path, gridText);
    }

    public string GridTextOnDisk()
    {
        string path = Path.Combine(Dir, GridFile);
        return File.Exists(path) ? File.ReadAllText(path) : throw new InputException($"{Dir}: not a sweep folder ({GridFile} missing)");
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

    /// <summary>A finished run's parts; a folder from before exits and latency were kept has only runs and counters,
    /// and the missing parts read as empty.</summary>
    public Part ReadPart(int index)
    {
        string Read(string kind) => File.Exists(PartFile(index, kind)) ? File.ReadAllText(PartFile(index, kind)) : "";
        return new Part(Read("runs"), Read("counters"), Read("exits"), Read("latency"));
    }

    /// <summary>Writes runs.csv, counters.csv, exits.csv, latency.csv and summary.csv of the given parts (in index order).</summary>
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
        var rows = CsvFiles.ReadRuns(Path.Combine(outDir, ResultsFolder.Runs));
        CsvFiles.WriteSummary(Path.Combine(outDir, ResultsFolder.Summary), Summarizer.Summarize(rows));
    }

    private static string WithoutHeader(string csv) => csv.Length == 0 ? "" : csv[(csv.IndexOf('\n') + 1)..];
}
