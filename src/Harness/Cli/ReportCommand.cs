using System.CommandLine;
using IrqBench.Harness.Report;

namespace IrqBench.Harness.Cli;

/// <summary><c>irqbench report --in DIR</c>: summary.csv, plots and report.md again from the CSVs in DIR (after a merge,
/// or after editing the report code).</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var inDir = new Option<string>("--in") { Description = "results folder with runs.csv (and microbench.csv)", Required = true };
        var cmd = new Command("report", "regenerate summary.csv, plots and report.md from the CSVs in a results folder") { inDir };
        cmd.SetAction(pr =>
        {
            string dir = pr.GetValue(inDir)!;
            var data = ResultsFolder.Load(dir);
            var plots = ResultsFolder.WriteDerived(dir, data, $"irqbench report --in {dir}");
            ConsoleSummary.Print(data);
            Console.WriteLine($"wrote {dir}/: {ResultsFolder.Summary}, {ResultsFolder.ReportFile} and {plots.Count} plots in {ResultsFolder.PlotsDir}/");
            return 0;
        });
        return cmd;
    }
}
