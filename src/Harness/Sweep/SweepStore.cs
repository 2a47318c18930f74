using System.Globalization;
using System.Text;
using IrqBench.Harness.Output;
using IrqBench.Harness.Stats;
using IrqBench.Harness.Suite;

namespace IrqBench.Harness.Sweep;

/// <summary>
/// The files of a sweep folder. <c>grid.txt</c> lists the whole grid, one run per line with its index: it pins what an
/// index means, so a folder is never resumed or merged with another spec's runs. Each finished run is
/// <c>parts/NNNNNN.counters.csv</c> then <c>parts/NNNNNN.runs.csv</c>, each written atomically; the runs file is
/// written last, so its presence means the run is complete. runs.csv, counters.csv and summary.csv are assembled from
/// the parts in index order by concatenating their text, so any split into shards gives the same bytes.
/// </summary>
public sealed class SweepStore(string dir)
{
    public const string GridFile = "grid.txt", PartsDir = "parts";

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

    private string Part(int index, string kind) => Path.Combine(Dir, PartsDir, $"{index.ToString("D6", CultureInfo.InvariantCulture)}.{kind}.csv");

    public bool IsDone(int index) => File.Exists(Part(index, "runs"));

    public void Save(int index, RunOutcome o)
    {
        AtomicFile.WriteText(Part(index, "counters"), CsvFiles.ToText(o.Counters));
        AtomicFile.WriteText(Part(index, "runs"), CsvFiles.ToText([o.Row]));
    }

    public (string Runs, string Counters) ReadPart(int index) => (File.ReadAllText(Part(index, "runs")), File.ReadAllText(Part(index, "counters")));

    /// <summary>Writes runs.csv, counters.csv and summary.csv of the given parts (in index order).</summary>
    public static void Assemble(string outDir, IEnumerable<(string Runs, string Counters)> parts)
    {
        var runs = new StringBuilder(CsvFiles.ToText(Array.Empty<RunRow>()));
        var counters = new StringBuilder(CsvFiles.ToText(Array.Empty<CounterRow>()));
        foreach (var (r, c) in parts)
        {
            runs.Append(WithoutHeader(r));
            counters.Append(WithoutHeader(c));
        }
        AtomicFile.WriteText(Path.Combine(outDir, "runs.csv"), runs.ToString());
        AtomicFile.WriteText(Path.Combine(outDir, "counters.csv"), counters.ToString());
        var rows = CsvFiles.ReadRuns(Path.Combine(outDir, "runs.csv"));
        CsvFiles.WriteSummary(Path.Combine(outDir, "summary.csv"), Summarizer.Summarize(rows));
    }

    private static string WithoutHeader(string csv) => csv[(csv.IndexOf('\n') + 1)..];
}
