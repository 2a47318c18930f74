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
        var hostBaseline = new Option<string?>("--host-baseline") { Description = "BenchmarkDotNet *-measurements.csv to compare --host with" };
        var host = new Option<string?>("--host") { Description = "fresh BenchmarkDotNet *-measurements.csv (irqbench hostbench): tested statistically" };
        var cmd = new Command("check", "compare results against a baseline with thresholds; exit 1 on a regression") { baseline, thresholds, inDir, hostBaseline, host };
        cmd.SetAction(pr => Execute(pr.GetValue(baseline)!, pr.GetValue(thresholds)!, pr.GetValue(inDir), pr.GetValue(hostBaseline), pr.GetValue(host)));
        return cmd;
    }

    public static int Execute(string baselineFile, string thresholdsFile, string? dir, string? hostBaselineFile = null, string? hostFile = null)
    {
        // Every input file is read and checked before the (longer) fresh run.
        var t = Thresholds.Load(thresholdsFile);
        var baseline = CsvFiles.ReadSummary(baselineFile);
        if ((hostBaselineFile is null) != (hostFile is null)) throw new InputException("--host and --host-baseline go together");
        var hostBase = hostBaselineFile is null ? null : HostSamples.Load(hostBaselineFile);
        var hostNow = hostFile is null ? null : HostSamples.Load(hostFile);
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
        bool hostPassed = true;
        if (hostBase is not null && hostNow is not null)
        {
            var host = HostTimingCheck.Run(hostBase, hostNow, t.Host);
            foreach (var (name, v) in host) Console.WriteLine($"host {name}: {v.Text}");
            hostPassed = HostTimingCheck.Passed(host);
            Console.WriteLine(hostPassed ? $"host timings passed: {host.Count} benchmarks not slower by more than {t.Host.ThresholdPercent} %"
                                         : "host timings FAILED: a benchmark is significantly slower than its baseline");
        }
        // A fresh run that failed is kept for inspection (its path is printed above); one that passed is not needed.
        if (fresh && check.Passed) Directory.Delete(dir, recursive: true);
        return check.Passed && hostPassed ? 0 : 1;
    }
}
