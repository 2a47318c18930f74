using IrqBench.Harness.Output;
using IrqBench.Harness.Plots;
using IrqBench.Harness.Trust;

namespace IrqBench.Harness.Report;

/// <summary>The files of a results folder (DESIGN §6) and how the derived ones — summary.csv, summary.json, plots/,
/// report.md — are written from the primary ones (runs.csv, counters.csv, exits.csv, latency.csv, microbench.csv,
/// notes.txt, comparison.json).</summary>
public static class ResultsFolder
{
    public const string Runs = "runs.csv", Counters = "counters.csv", Exits = "exits.csv", Latency = "latency.csv", LatencyStages = "latency_stages.csv", Summary = "summary.csv",
        SummaryJson = "summary.json", Microbench = "microbench.csv", Notes = "notes.txt", ReportFile = "report.md", PlotsDir = "plots",
        Trust = "trust.csv", TrustSurface = "trust_surface.csv";

    /// <summary>The files every compare writes, in the order the "wrote …" line names them.</summary>
    public static readonly IReadOnlyList<string> CompareFiles = [Runs, Counters, Exits, Latency, LatencyStages, Microbench, Trust, TrustSurface, Summary, SummaryJson, ReportFile];

    /// <summary>Reads what <c>irqbench report</c> needs: runs.csv or microbench.csv (at least one), and whichever of the
    /// others are present.</summary>
    public static ComparisonData Load(string dir)
    {
        if (!Directory.Exists(dir)) throw new InputException($"{dir}: no such folder");
        string P(string f) => Path.Combine(dir, f);
        if (!File.Exists(P(Runs)) && !File.Exists(P(Microbench))) throw new InputException($"{dir}: has neither {Runs} nor {Microbench}");
        // Every row is checked as it is read: a value no run can have (NaN, a negative time, a run twice) is bad input
        // naming its line, not a report drawn from it.
        List<T> Read<T>(string file, Func<string, List<T>> read, Action<string, IReadOnlyList<T>> check)
        {
            if (!File.Exists(P(file))) return [];
            var rows = read(P(file));
            check(P(file), rows);
            return rows;
        }
        return new ComparisonData(
            Read(Runs, CsvFiles.ReadRuns, RowChecks.Runs),
            Read(Microbench, CsvFiles.ReadMicrobench, RowChecks.Microbench),
            File.Exists(P(Notes)) ? InputFile.ReadText(P(Notes), InputFile.MaxJsonBytes).Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList() : [],
            Read(Exits, CsvFiles.ReadExits, RowChecks.Exits),
            Read(Latency, CsvFiles.ReadLatency, RowChecks.Latency),
            ComparisonSettings.Load(dir))
        {
            Trust = File.Exists(P(Trust)) ? new TrustResults(Read(Trust, CsvFiles.ReadTrust, RowChecks.Trust), Read(TrustSurface, CsvFiles.ReadTrustSurface, (_, _) => { })) : null,
            StageRows = Read(LatencyStages, CsvFiles.ReadLatencyStages, RowChecks.LatencyStages),
        };
    }

    /// <summary>Writes the primary files of a comparison into <paramref name="dir"/> (a staging folder).</summary>
    public static void WritePrimary(string dir, ComparisonData d, IEnumerable<CounterRow> counters)
    {
        CsvFiles.WriteRuns(Path.Combine(dir, Runs), d.Runs);
        CsvFiles.WriteCounters(Path.Combine(dir, Counters), counters);
        CsvFiles.WriteExits(Path.Combine(dir, Exits), d.ExitRows);
        CsvFiles.WriteLatency(Path.Combine(dir, Latency), d.LatencyRows);
        CsvFiles.WriteLatencyStages(Path.Combine(dir, LatencyStages), d.StageRows);
        CsvFiles.WriteMicrobench(Path.Combine(dir, Microbench), d.Microbench);
        AtomicFile.WriteText(Path.Combine(dir, Notes), string.Concat(d.Notes.Select(n => n + "\n")));
        AtomicFile.WriteText(Path.Combine(dir, ComparisonSettings.File), d.Settings.ToJson());
        if (d.Trust is { } t)
        {
            CsvFiles.WriteTrust(Path.Combine(dir, Trust), t.Forgery);
            CsvFiles.WriteTrustSurface(Path.Combine(dir, TrustSurface), t.Surface);
        }
    }

    /// <summary>Writes summary.csv, summary.json, the plots and report.md into <paramref name="dir"/> (an
    /// <see cref="OutputFolder"/>'s staging folder); returns the plots.</summary>
    public static PlotSet WriteDerived(string dir, ComparisonData d)
    {
        CsvFiles.WriteSummary(Path.Combine(dir, Summary), d.Summary);
        AtomicFile.WriteText(Path.Combine(dir, SummaryJson), SummaryDocument.Build(d).ToJson());
        // Into a staging folder (OutputFolder): plots of an earlier run that this one does not draw are not carried over.
        string plotsDir = Path.Combine(dir, PlotsDir);
        var plots = new PlotSet();
        ForestPlot.Render(d, plotsDir, plots);
        RelativeThroughputPlot.Render(d, plotsDir, plots);
        LatencyEcdfPlot.Render(d, plotsDir, plots);
        ExitsPlot.Render(d, plotsDir, plots);
        LatencyStagesPlot.Render(d, plotsDir, plots);
        MicrobenchPlot.Render(d, plotsDir, plots);
        AtomicFile.WriteText(Path.Combine(dir, ReportFile), MarkdownReport.Build(d, plots, PlotsDir));
        return plots;
    }
}
