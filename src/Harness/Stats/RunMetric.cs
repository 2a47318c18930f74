using IrqBench.Harness.Output;

namespace IrqBench.Harness.Stats;

/// <summary>A per-run number that summary.csv aggregates over seeds: its column name in runs.csv (or a derived
/// name), its unit for axes and tables, and how to read it from a row.</summary>
public sealed record RunMetric(string Name, string Unit, Func<RunRow, double> Read)
{
    /// <summary>Simulated time per work unit (per message, per job, per operation): what "slower" means.</summary>
    public static readonly RunMetric NsPerUnit = new("ns_per_unit", "ns", r => r.WorkUnits > 0 ? r.SimNs / r.WorkUnits : 0);

    public static readonly RunMetric Throughput = new("throughput_per_s", "units/s", r => r.ThroughputPerS);

    /// <summary>Exits per work unit: the headline "where" figure, comparable across vCPU counts.</summary>
    public static readonly RunMetric ExitsPerUnit = new("exits_per_unit", "exits", r => PerUnit(r, r.ExitsTotal));

    /// <summary>Every metric summary.csv holds, in its row order.</summary>
    public static readonly IReadOnlyList<RunMetric> All =
    [
        NsPerUnit,
        Throughput,
        new("sim_ns", "ns", r => r.SimNs),
        ExitsPerUnit,
        new("exits_total", "exits", r => r.ExitsTotal),
        new("exits_hvc", "exits", r => r.ExitsHvc),
        new("exits_mmio", "exits", r => r.ExitsMmio),
        new("exits_sysreg", "exits", r => r.ExitsSysreg),
        new("exits_wfi", "exits", r => r.ExitsWfi),
        new("exits_kick", "exits", r => r.ExitsKick),
        new("exits_maintenance", "exits", r => r.ExitsMaintenance),
        new("exits_timer", "exits", r => r.ExitsTimer),
        new("hyp_cycles", "cycles", r => r.HypCycles),
        new("idle_cycles", "cycles", r => r.IdleCycles),
        new("kicks", "count", r => r.Kicks),
        new("wakeups", "count", r => r.Wakeups),
        new("halt_all", "count", r => r.HaltAll),
        new("lock_contended", "count", r => r.LockContended),
        new("lock_wait_cycles", "cycles", r => r.LockWaitCycles),
        new("irqs_delivered", "count", r => r.IrqsDelivered),
        new("ipis_sent", "count", r => r.IpisSent),
        new("irq_latency_p50_ns", "ns", r => r.IrqLatencyP50Ns),
        new("irq_latency_p99_ns", "ns", r => r.IrqLatencyP99Ns),
        new("irq_latency_max_ns", "ns", r => r.IrqLatencyMaxNs),
        new("lr_overflows", "count", r => r.LrOverflows),
    ];

    /// <summary>Exit kinds in stacking order, with the runs.csv column each comes from.</summary>
    public static readonly IReadOnlyList<(string Kind, Func<RunRow, long> Read)> ExitKinds =
    [
        ("hvc", r => r.ExitsHvc), ("mmio", r => r.ExitsMmio), ("sysreg", r => r.ExitsSysreg), ("wfi", r => r.ExitsWfi),
        ("kick", r => r.ExitsKick), ("maintenance", r => r.ExitsMaintenance), ("timer", r => r.ExitsTimer),
    ];


    public static double PerUnit(RunRow r, double v) => r.WorkUnits > 0 ? v / r.WorkUnits : 0;

    public static RunMetric? Find(string name) => All.FirstOrDefault(m => m.Name == name);
}
