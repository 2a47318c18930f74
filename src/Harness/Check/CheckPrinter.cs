using Spectre.Console;

namespace IrqBench.Harness.Check;

/// <summary>The check as text (the default): one line per metric, every row that moved or is missing, the notes,
/// the host timings, then the verdict.</summary>
public static class CheckPrinter
{
    public static void Print(CheckOutcome o, int maxRows = 60)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive) AnsiConsole.Profile.Width = 160;
        AnsiConsole.WriteLine($"check: {o.Dir} against {o.BaselineFile} with {o.ThresholdsFile}");
        AnsiConsole.Write(CheckTables.PerMetric(o.Metrics).ToSpectre());
        if (o.Metrics.Failures.Count > 0) AnsiConsole.Write(CheckTables.Failures(o.Metrics, maxRows).ToSpectre());
        foreach (var n in CheckTables.Notes(o.Metrics)) AnsiConsole.WriteLine($"note: {n}");
        AnsiConsole.WriteLine(o.Verdict);
        foreach (var h in o.Host) AnsiConsole.WriteLine($"host {h.Benchmark}: {h.Text}");
        if (o.Host.Count > 0)
            AnsiConsole.WriteLine(HostTimingCheck.Passed(o.Host)
                ? $"host timings passed: {Plural.Of(o.Host.Count, "benchmark")} not slower by more than {o.Host[0].Limit.ThresholdPercent} %"
                : "host timings FAILED: a benchmark is significantly slower than its baseline");
    }
}
