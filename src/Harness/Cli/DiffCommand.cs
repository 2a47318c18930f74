using System.CommandLine;
using IrqBench.Harness.Check;
using IrqBench.Harness.Report;
using Spectre.Console;

namespace IrqBench.Harness.Cli;

/// <summary><c>irqbench diff DIR_A DIR_B [--thresholds FILE]</c>: two results folders side by side — verdicts and
/// ratios of both, and the metrics that moved from A to B beyond their thresholds (by default 1 %). A viewer, not a
/// gate: it exits 0 whatever moved (<c>check</c> is the gate).</summary>
internal static class DiffCommand
{
    /// <summary>Without a thresholds file a metric has moved when it changed by more than 1 % (and more than the CSVs'
    /// rounding).</summary>
    public static readonly Thresholds Default = new(new Limit(0.01, 0.002), new Dictionary<string, Limit>(), new HashSet<string>(), HostLimit.Default);

    public static Command Create()
    {
        var a = new Argument<string>("DIR_A") { Description = "the earlier results folder" };
        var b = new Argument<string>("DIR_B") { Description = "the later results folder" };
        var thresholds = new Option<string?>("--thresholds") { Description = "thresholds JSON as for check (default: 1 % for every metric)", HelpName = "FILE" };
        var cmd = new Command("diff", "two results folders side by side: verdicts, ratios, and the metrics that moved beyond thresholds") { a, b, thresholds };
        cmd.SetAction(pr =>
        {
            var t = pr.GetValue(thresholds) is { } file ? Thresholds.Load(file) : Default;
            string dirA = pr.GetValue(a)!, dirB = pr.GetValue(b)!;
            var diff = FolderDiff.Of(ResultsFolder.Load(dirA), ResultsFolder.Load(dirB), t, Path.Combine(dirA, ResultsFolder.Summary));
            Print(diff, dirA, dirB);
            return 0;
        });
        return cmd;
    }

    private static void Print(FolderDiff d, string dirA, string dirB)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive) AnsiConsole.Profile.Width = 160;
        AnsiConsole.WriteLine($"A: {dirA} ({d.A.Settings.Command}; baseline {d.A.Baseline})");
        AnsiConsole.WriteLine($"B: {dirB} ({d.B.Settings.Command}; baseline {d.B.Baseline})");
        if (d.Verdicts.Count > 0) AnsiConsole.Write(d.VerdictTable().ToSpectre());
        if (d.Metrics.Failures.Count > 0) AnsiConsole.Write(CheckTables.Failures(d.Metrics, 60).ToSpectre());
        foreach (var n in CheckTables.Notes(d.Metrics, "A")) AnsiConsole.WriteLine($"note: {n}");
        AnsiConsole.WriteLine(d.NothingMoved
            ? $"nothing moved: {Plural.Of(d.Verdicts.Count, "verdict")} the same, {Plural.Of(d.Metrics.Compared.Count, "metric")} within their thresholds"
            : $"{Plural.Of(d.ChangedVerdicts, "verdict")} changed, {Plural.Of(d.Metrics.Failures.Count, "metric")} moved beyond their thresholds or missing in B, " +
              $"{d.Metrics.NotInBaseline.Count} only in B");
    }
}
