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
    public static readonly IReadOnlyList<string> CompareFiles = [Runs, Counters, Exits, Latency, Microbench, Trust, TrustSurface, Summary, SummaryJson, ReportFile];

    /// <summary>Whether <paramref name="dir"/> holds a comparison's derived results (so <c>run</c> will not write
    /// into it by accident).</summary>
    public static bool HoldsComparison(string dir) =>
        File.Exists(Path.Combine(dir, Summary)) || File.Exists(Path.Combine(dir, ReportFile)) || File.Exists(Path.Combine(dir, SummaryJson));

    /// <summary>Reads what <c>irqbench report</c> needs: runs.csv or microbench.csv (at least one), and whichever of the
    /// others are present.</summary>
    public static ComparisonData Load(string dir)
    {
        if (!Directory.Exists(dir)) throw new InputException($"{dir}: no such folder");
        string P(string f) => Path.Combine(dir, f);
        if (!File.Exists(P(Runs)) && !File.Exists(P(Microbench))) throw new InputException($"{dir}: has neither {Runs} nor {Microbench}");
        return new ComparisonData(
            File.Exists(P(Runs)) ? CsvFiles.ReadRuns(P(Runs)) : [],
            File.Exists(P(Microbench)) ? CsvFiles.ReadMicrobench(P(Microbench)) : [],
            File.Exists(P(Notes)) ? File.ReadAllLines(P(Notes)).Where(l => l.Length > 0).ToList() : [],
            File.Exists(P(Exits)) ? CsvFiles.ReadExits(P(Exits)) : [],
            File.Exists(P(Latency)) ? CsvFiles.ReadLatency(P(Latency)) : [],
            ComparisonSettings.Load(dir))
        {
            Trust = File.Exists(P(Trust)) ? new TrustResults(CsvFiles.ReadTrust(P(Trust)), File.Exists(P(TrustSurface)) ? CsvFiles.ReadTrustSurface(P(TrustSurface)) : []) : null,
        };
    }

    /// <summary>Writes the primary files of a comparison.</summary>
    public static void WritePrimary(string dir, ComparisonData d, IEnumerable<CounterRow> counters)
    {
        CsvFiles.WriteRuns(Path.Combine(dir, Runs), d.Runs);
        CsvFiles.WriteCounters(Path.Combine(dir, Counters), counters);
        CsvFiles.WriteExits(Path.Combine(dir, Exits), d.ExitRows);
        CsvFiles.WriteLatency(Path.Combine(dir, Latency), d.LatencyRows);
        CsvFiles.WriteMicrobench(Path.Combine(dir, Microbench), d.Microbench);
        AtomicFile.WriteText(Path.Combine(dir, Notes), string.Concat(d.Notes.Select(n => n + "\n")));
        AtomicFile.WriteText(Path.Combine(dir, ComparisonSettings.File), d.Settings.ToJson());
        if (d.Trust is { } t)
        {
            CsvFiles.WriteTrust(Path.Combine(dir, Trust), t.Forgery);
            CsvFiles.WriteTrustSurface(Path.Combine(dir, TrustSurface), t.Surface);
        }
    }

    /// <summary>Writes summary.csv, summary.json, the plots and report.md; returns the plots.</summary>
    public static PlotSet WriteDerived(string dir, ComparisonData d)
    {
        CsvFiles.WriteSummary(Path.Combine(dir, Summary), d.Summary);
        AtomicFile.WriteText(Path.Combine(dir, SummaryJson), SummaryDocument.Build(d).ToJson());
        string plotsDir = Path.Combine(dir, PlotsDir);
        // Plots of an earlier run in this folder that this one does not draw would otherwise linger beside the new ones.
        if (Directory.Exists(plotsDir))
            foreach (var f in Directory.GetFiles(plotsDir).Where(f => f.EndsWith(".png", StringComparison.Ordinal) || f.EndsWith(".svg", StringComparison.Ordinal)))
                File.Delete(f);
        var plots = new PlotSet();
        ForestPlot.Render(d, plotsDir, plots);
        RelativeThroughputPlot.Render(d, plotsDir, plots);
        LatencyEcdfPlot.Render(d, plotsDir, plots);
        ExitsPlot.Render(d, plotsDir, plots);
        MicrobenchPlot.Render(d, plotsDir, plots);
        AtomicFile.WriteText(Path.Combine(dir, ReportFile), MarkdownReport.Build(d, plots, PlotsDir));
        return plots;
    }
}
