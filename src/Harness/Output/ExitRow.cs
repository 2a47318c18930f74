using CsvHelper;
using IrqBench.Machine.Metrics;

namespace IrqBench.Harness.Output;

/// <summary>One row of exits.csv: per run and exit reason, what <c>perf kvm stat report</c> prints — how many exits
/// (the measured window's, as runs.csv's exits_* columns), their total hypervisor handling time from trap to guest
/// entry (counters.csv's exit_cycles.REASON), and the shortest and longest single exit, which only this file
/// holds.</summary>
[CsvRecord]
public partial record ExitRow
{
    [CsvColumn("run")] public string Run { get; init; } = "";
    [CsvColumn("reason")] public string Reason { get; init; } = "";
    [CsvColumn("exits")] public long Exits { get; init; }
    [CsvColumn("total_cycles")] public long TotalCycles { get; init; }
    [CsvColumn("min_cycles")] public long MinCycles { get; init; }
    [CsvColumn("max_cycles")] public long MaxCycles { get; init; }

    public static IEnumerable<ExitRow> From(string runId, MetricSet m) =>
        ExitStats.Reasons.Select(r => new ExitRow
        {
            Run = runId, Reason = ExitStats.Name(r), Exits = m.Get($"exits_{ExitStats.Name(r)}").Value,
            TotalCycles = m.Exits.TotalCycles(r), MinCycles = m.Exits.MinCycles(r), MaxCycles = m.Exits.MaxCycles(r),
        });
}
