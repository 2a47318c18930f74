using System.CommandLine;
using IrqBench.Harness.Check;
using IrqBench.Harness.Output;
using IrqBench.Harness.Report;

namespace IrqBench.Harness.Cli;

/// <summary><c>irqbench check --baseline FILE --thresholds FILE [--in DIR]</c>: exit 1 when a metric of the fresh
/// results moved beyond its threshold from the baseline. Without --in it runs <c>compare --quick</c> first, into a
/// temporary folder, so the committed results are never touched.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var baseline = new Option<string>("--baseline") { Description = "baseline: a summary.csv (results/ci/baseline.csv)", Required = true };
        var thresholds = new Option<string>("--thresholds") { Description = "thresholds JSON (results/ci/thresholds.json)", Required = true };
        var inDir = new Option<string?>("--in") { Description = "results folder to check (default: a fresh compare --quick)" };
        var cmd = new Command("check", "compare results against a baseline with thresholds; exit 1 on a regression") { baseline, thresholds, inDir };
        cmd.SetAction(pr => Execute(pr.GetValue(baseline)!, pr.GetValue(thresholds)!, pr.GetValue(inDir)));
        return cmd;
    }

    public static int Execute(string baselineFile, string thresholdsFile, string? dir)
    {
        // Every input file is read and checked before the (longer) fresh run.
        var t = Thresholds.Load(thresholdsFile);
        var baseline = CsvFiles.ReadSummary(baselineFile);
        bool fresh = dir is null;
        if (dir is null)
        {
            dir = Path.Combine(Path.GetTempPath(), $"irqbench-check-{Environment.ProcessId}");
            CompareCommand.Execute(quick: true, dir);
        }
        var data = ResultsFolder.Load(dir);
        var check = BaselineCheck.Run(baselineFile, baseline, data.Summary, t);
        Console.WriteLine($"check: {dir} against {baselineFile} with {thresholdsFile}");
        CheckPrinter.Print(check);
        // A fresh run that failed is kept for inspection (its path is printed above); one that passed is not needed.
        if (fresh && check.Passed) Directory.Delete(dir, recursive: true);
        return check.Passed ? 0 : 1;
    }
}
