using IrqBench.Harness.Output;

namespace IrqBench.Harness.Suite;

/// <summary>What one finished run produced: its runs.csv row and its rows of counters.csv, exits.csv, latency.csv and
/// latency_stages.csv.</summary>
public sealed record RunOutcome(RunRow Row, IReadOnlyList<CounterRow> Counters, IReadOnlyList<ExitRow> Exits, IReadOnlyList<LatencyRow> Latency,
    IReadOnlyList<LatencyStageRow> Stages);
