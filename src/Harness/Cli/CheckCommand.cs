using System.CommandLine;
using IrqBench.Harness.Check;
using IrqBench.Harness.Output;
using IrqBench.Harness.Report;
using Spectre.Console;

namespace IrqBench.Harness.Cli;

/// <summary><c>irqbench check --baseline FILE --thresholds FILE [--in DIR] [--format text|junit|markdown]</c>: exit 1
/// when a metric of the fresh results moved beyond its threshold from the baseline. Without --in it runs
/// <c>compare --quick</c> first, into a temporary folder, so the committed results are never touched. JUnit and
/// Markdown go to stdout alone (progress to stderr), for CI systems and job summaries.</summary>
internal static class CheckCommand
{
    public static readonly string[] Formats = ["text", "junit", "markdown"];

    public static Command Create()
    {
        var baseline = new Option<string>("--baseline") { Description = "baseline: a summary.csv (results/ci/baseline.csv)", HelpName = "FILE", Required = true };
        var thresholds = new Option<string>("--thresholds") { Description = "thresholds JSON (results/ci/thresholds.json)", HelpName = "FILE", Required = true };
        var inDir = new Option<string?>("--in") { Description = "results folder to check (default: a fresh compare --quick)", HelpName = "DIR" };
        var hostBaseline = new Option<string?>("--host-baseline") { Description = "BenchmarkDotNet *-measurements.csv to compare --host with", HelpName = "FILE" };
        var host = new Option<string?>("--host") { Description = "fresh BenchmarkDotNet *-measurements.csv (irqbench hostbench): tested statistically", HelpName = "FILE" };
        var format = new Option<string>("--format") { Description = "output format", DefaultValueFactory = _ => Formats[0] };
        format.AcceptOnlyFromAmong(Formats);
        var cmd = new Command("check", "compare results against a baseline with thresholds; exit 1 on a regression") { baseline, thresholds, inDir, hostBaseline, host, format };
        cmd.SetAction(pr => Execute(pr.GetValue(baseline)!, pr.GetValue(thresholds)!, pr.GetValue(inDir), pr.GetValue(hostBaseline), pr.GetValue(host), pr.GetValue(format)!));
        return cmd;
    }

    public static int Execute(string baselineFile, string thresholdsFile, string? dir, string? hostBaselineFile = null, string? hostFile = null, string format = "text")
    {
        // Every input file is read and checked before the (longer) fresh run.
        var t = Thresholds.Load(thresholdsFile);
        var baseline = CsvFiles.ReadSummary(baselineFile);
        RowChecks.Summary(baselineFile, baseline, Thresholds.KnownMetrics);
        if (baseline.Count > 0 && baseline.All(b => t.Ignore.Contains(b.Metric)))
            throw new InputException($"{thresholdsFile}: ignore: covers every metric of {baselineFile} " +
                                     $"({string.Join(", ", baseline.Select(b => b.Metric).Distinct())}): the check would compare nothing");
        if ((hostBaselineFile is null) != (hostFile is null)) throw new InputException("--host and --host-baseline go together");
        var hostBase = hostBaselineFile is null ? null : HostSamples.Load(hostBaselineFile);
        var hostNow = hostFile is null ? null : HostSamples.Load(hostFile);
        bool fresh = dir is null;
        if (dir is null)
        {
            dir = Path.Combine(Path.GetTempPath(), $"irqbench-check-{Environment.ProcessId}");
            string target = dir;
            if (format == "text") CompareCommand.ExecuteQuick(target);
            else OnStderr(() => CompareCommand.ExecuteQuick(target));
        }
        var data = ResultsFolder.Load(dir);
        var o = new CheckOutcome(dir, baselineFile, thresholdsFile, BaselineCheck.Run(baselineFile, baseline, data.Summary, t),
            hostBase is not null && hostNow is not null ? HostTimingCheck.Run(hostBase, hostNow, t.Host) : []);
        switch (format)
        {
            case "junit": Console.Out.Write(JunitCheckReport.Build(o)); break;
            case "markdown": Console.Out.Write(MarkdownCheckReport.Build(o)); break;
            default: CheckPrinter.Print(o); break;
        }
        // A fresh run that failed is kept for inspection (its path is printed); one that passed is not needed.
        if (fresh && o.Metrics.Passed) Directory.Delete(dir, recursive: true);
        return o.Passed ? 0 : 1;
    }

    /// <summary>Runs <paramref name="work"/> with everything it prints sent to stderr, so stdout holds the report alone.</summary>
    private static void OnStderr(Action work)
    {
        var (oldOut, oldAnsi) = (Console.Out, AnsiConsole.Console);
        Console.SetOut(Console.Error);
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        try { work(); }
        finally
        {
            Console.SetOut(oldOut);
            AnsiConsole.Console = oldAnsi;
        }
    }
}
