using IrqBench.Harness.Output;
using IrqBench.Harness.Plots;

namespace IrqBench.Harness.Report;

/// <summary>The files of a results folder (DESIGN §6) and how the derived ones — summary.csv, plots/, report.md — are
/// written from the primary ones (runs.csv, counters.csv, microbench.csv, notes.txt).</summary>
public static class ResultsFolder
{
    public const string Runs = "runs.csv", Counters = "counters.csv", Summary = "summary.csv", Microbench = "microbench.csv",
        Notes = "notes.txt", ReportFile = "report.md", PlotsDir = "plots";

    /// <summary>Reads what <c>irqbench report</c> needs: runs.csv (required) and microbench.csv and notes.txt (if present).</summary>
    public static ComparisonData Load(string dir)
    {
        if (!Directory.Exists(dir)) throw new InputException($"{dir}: no such folder");
        string runs = Path.Combine(dir, Runs), mb = Path.Combine(dir, Microbench), notes = Path.Combine(dir, Notes);
        if (!File.Exists(runs) && !File.Exists(mb)) throw new InputException($"{dir}: has neither {Runs} nor {Microbench}");
        return new ComparisonData(
            File.Exists(runs) ? CsvFiles.ReadRuns(runs) : [],
            File.Exists(mb) ? CsvFiles.ReadMicrobench(mb) : [],
            File.Exists(notes) ? File.ReadAllLines(notes).Where(l => l.Length > 0).ToList() : []);
    }

    /// <summary>Writes the primary files of a comparison.</summary>
    public static void WritePrimary(string dir, ComparisonData d, IEnumerable<CounterRow> counters)
    {
        CsvFiles.WriteRuns(Path.Combine(dir, Runs), d.Runs);
        CsvFiles.WriteCounters(Path.Combine(dir, Counters), counters);
        CsvFiles.WriteMicrobench(Path.Combine(dir, Microbench), d.Microbench);
        AtomicFile.WriteText(Path.Combine(dir, Notes), string.Concat(d.Notes.Select(n => n + "\n")));
    }

    /// <summary>Writes summary.csv, the plots and report.md; returns the plots.</summary>
    public static IReadOnlyList<RenderedPlot> WriteDerived(string dir, ComparisonData d, string command)
    {
        CsvFiles.WriteSummary(Path.Combine(dir, Summary), d.Summary);
        string plotsDir = Path.Combine(dir, PlotsDir);
        var plots = new List<RenderedPlot?> { OverheadPlot.Render(d, plotsDir) };
        foreach (var c in d.Cases)
        {
            plots.Add(ScalingPlot.Render(d, c, plotsDir));
            plots.Add(ExitsPlot.Render(d, c, plotsDir));
            plots.Add(SyncPlot.Render(d, c, plotsDir));
            plots.Add(LatencyPlot.Render(d, c, plotsDir));
        }
        plots.Add(MicrobenchPlot.Render(d, plotsDir));
        var done = plots.OfType<RenderedPlot>().ToList();
        AtomicFile.WriteText(Path.Combine(dir, ReportFile), MarkdownReport.Build(d, done, PlotsDir, command));
        return done;
    }
}
