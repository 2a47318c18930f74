using System.CommandLine;
using IrqBench.Harness.Output;
using IrqBench.Harness.Report;

namespace IrqBench.Harness.Cli;

/// <summary><c>irqbench report --in DIR</c>: summary.csv, summary.json, plots and report.md again from the primary
/// files in DIR (after a merge, or after editing the report code), with the baseline and threshold the comparison
/// used unless told otherwise.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var inDir = new Option<string>("--in") { Description = "results folder with runs.csv (and microbench.csv, exits.csv, latency.csv)", HelpName = "DIR", Required = true };
        var baseline = CommonOptions.Baseline("compare with this design instead of the one the comparison used");
        var threshold = CommonOptions.Threshold("verdict threshold in percent instead of the comparison's");
        var cmd = new Command("report", "regenerate summary.csv, summary.json, plots and report.md from the CSVs in a results folder") { inDir, baseline, threshold };
        cmd.SetAction(pr =>
        {
            string dir = pr.GetValue(inDir)!;
            var data = ResultsFolder.Load(dir);
            if (pr.GetValue(baseline) is not null || pr.GetValue(threshold) is not null)
            {
                var s = data.Settings with
                {
                    Baseline = pr.GetValue(baseline) ?? data.Settings.Baseline,
                    ThresholdPercent = pr.GetValue(threshold) ?? data.Settings.ThresholdPercent,
                };
                // The report names both: the runs' command, and the re-reading that changed the comparison.
                s = s with { Command = $"{data.Settings.Command}`, then `irqbench report --in {dir} --baseline {s.Baseline} --threshold {s.ThresholdPercent.ToString(System.Globalization.CultureInfo.InvariantCulture)}" };
                data = new ComparisonData(data.Runs, data.Microbench, data.Notes, data.ExitRows, data.LatencyRows, s);
            }
            using var output = OutputFolder.Begin(dir, ResultKind.Report, "--in");
            var plots = ResultsFolder.WriteDerived(output.Stage, data);
            output.Commit();
            ConsoleSummary.Print(data);
            Console.WriteLine($"wrote {dir}/: {ResultsFolder.Summary}, {ResultsFolder.SummaryJson}, {ResultsFolder.ReportFile} and {Plural.Of(plots.Drawn.Count, "plot")} in {ResultsFolder.PlotsDir}/");
            return 0;
        });
        return cmd;
    }
}
