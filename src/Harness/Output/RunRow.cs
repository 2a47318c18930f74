using CsvHelper;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Metrics;
using IrqBench.Workloads;

namespace IrqBench.Harness.Output;

/// <summary>One row of runs.csv: the columns of DESIGN §6, in that order.</summary>
[CsvRecord]
public partial record RunRow
{
    [CsvColumn("controller")] public string Controller { get; init; } = "";
    [CsvColumn("workload")] public string Workload { get; init; } = "";
    [CsvColumn("profile")] public string Profile { get; init; } = "";
    [CsvColumn("vcpus")] public int Vcpus { get; init; }
    [CsvColumn("seed")] public ulong Seed { get; init; }
    [CsvColumn("params")] public string Params { get; init; } = "";
    /// <summary>The profile's file (relative to the repository for the committed ones) and the SHA-256 of its text:
    /// an edited copy that kept the name is told apart from the reference. Optional when reading older files.</summary>
    [CsvColumn("profile_file", Optional = true)] public string ProfileFile { get; init => field = value ?? ""; } = "";
    [CsvColumn("profile_sha256", Optional = true)] public string ProfileSha256 { get; init => field = value ?? ""; } = "";
    [CsvColumn("organisation", Optional = true)] public string Organisation { get; init => field = value ?? ""; } = "";
    /// <summary>The profile's clock, to turn the cycle columns into ns; 0 in files written before it was recorded.</summary>
    [CsvColumn("frequency_hz", Optional = true)] public long FrequencyHz { get; init; }
    [CsvColumn("sim_ns")] public double SimNs { get; init; }
    [CsvColumn("work_units")] public double WorkUnits { get; init; }
    [CsvColumn("work_unit")] public string WorkUnit { get; init; } = "";
    [CsvColumn("throughput_per_s")] public double ThroughputPerS { get; init; }
    [CsvColumn("exits_total")] public long ExitsTotal { get; init; }
    [CsvColumn("exits_hvc")] public long ExitsHvc { get; init; }
    [CsvColumn("exits_mmio")] public long ExitsMmio { get; init; }
    [CsvColumn("exits_sysreg")] public long ExitsSysreg { get; init; }
    [CsvColumn("exits_wfi")] public long ExitsWfi { get; init; }
    [CsvColumn("exits_kick")] public long ExitsKick { get; init; }
    [CsvColumn("exits_maintenance")] public long ExitsMaintenance { get; init; }
    [CsvColumn("exits_timer")] public long ExitsTimer { get; init; }
    [CsvColumn("guest_cycles")] public long GuestCycles { get; init; }
    [CsvColumn("hyp_cycles")] public long HypCycles { get; init; }
    [CsvColumn("idle_cycles")] public long IdleCycles { get; init; }
    [CsvColumn("kicks")] public long Kicks { get; init; }
    [CsvColumn("wakeups")] public long Wakeups { get; init; }
    [CsvColumn("halt_all")] public long HaltAll { get; init; }
    [CsvColumn("lock_acquisitions")] public long LockAcquisitions { get; init; }
    [CsvColumn("lock_contended")] public long LockContended { get; init; }
    [CsvColumn("lock_wait_cycles")] public long LockWaitCycles { get; init; }
    [CsvColumn("irqs_delivered")] public long IrqsDelivered { get; init; }
    [CsvColumn("ipis_sent")] public long IpisSent { get; init; }
    [CsvColumn("irq_latency_p50_ns")] public double IrqLatencyP50Ns { get; init; }
    [CsvColumn("irq_latency_p99_ns")] public double IrqLatencyP99Ns { get; init; }
    [CsvColumn("irq_latency_max_ns")] public double IrqLatencyMaxNs { get; init; }
    [CsvColumn("lr_writes")] public long LrWrites { get; init; }
    [CsvColumn("lr_overflows")] public long LrOverflows { get; init; }
    [CsvColumn("its_commands")] public long ItsCommands { get; init; }

    /// <summary>The run's key in counters.csv, exits.csv and latency.csv; the profile carries the start of its hash,
    /// so runs on an edited copy of a profile do not collide with the reference's.</summary>
    public string RunId => $"{Controller}/{Workload}/{ProfileLabel}/v{Vcpus}/s{Seed}/{Params}";

    /// <summary>The profile's name and the first 8 hex digits of its hash ("altra-vhe@1a2b3c4d"); the name alone for
    /// files written before profiles were hashed.</summary>
    public string ProfileLabel => ProfileSha256.Length >= 8 ? $"{Profile}@{ProfileSha256[..8]}" : Profile;

    public static RunRow From(string controller, string workload, CostProfile profile, int vcpus, ulong seed, string parameters, RunResult r)
    {
        var m = r.Metrics;
        double simNs = profile.CyclesToNs(r.SimCycles);
        return new RunRow
        {
            Controller = controller, Workload = workload, Profile = profile.Name, Vcpus = vcpus, Seed = seed, Params = parameters,
            ProfileFile = ProfileStore.DisplayPath(profile.Source), ProfileSha256 = profile.ContentHash,
            Organisation = profile.Organisation.ToString().ToLowerInvariant(), FrequencyHz = profile.FrequencyHz,
            SimNs = Round(simNs), WorkUnits = r.WorkUnits, WorkUnit = r.WorkUnit,
            ThroughputPerS = simNs > 0 ? Round(r.WorkUnits / (simNs / 1e9)) : 0,
            ExitsTotal = m.ExitsTotal, ExitsHvc = m.ExitsHvc.Value, ExitsMmio = m.ExitsMmio.Value, ExitsSysreg = m.ExitsSysreg.Value,
            ExitsWfi = m.ExitsWfi.Value, ExitsKick = m.ExitsKick.Value, ExitsMaintenance = m.ExitsMaintenance.Value, ExitsTimer = m.ExitsTimer.Value,
            GuestCycles = m.GuestCycles.Value, HypCycles = m.HypCycles.Value, IdleCycles = m.IdleCycles.Value,
            Kicks = m.Kicks.Value, Wakeups = m.Wakeups.Value, HaltAll = m.HaltAll.Value,
            LockAcquisitions = m.LockAcquisitions.Value, LockContended = m.LockContended.Value, LockWaitCycles = m.LockWaitCycles.Value,
            IrqsDelivered = m.IrqsDelivered.Value, IpisSent = m.IpisSent.Value,
            IrqLatencyP50Ns = Round(profile.CyclesToNs(m.IrqLatency.Percentile(50))),
            IrqLatencyP99Ns = Round(profile.CyclesToNs(m.IrqLatency.Percentile(99))),
            IrqLatencyMaxNs = Round(profile.CyclesToNs(m.IrqLatency.Max)),
            LrWrites = m.LrWrites.Value, LrOverflows = m.LrOverflows.Value, ItsCommands = m.ItsCommands.Value,
        };
    }

    /// <summary>Cycles of this run's profile in ns; NaN when the file does not say the clock.</summary>
    public double CyclesToNs(double cycles) => FrequencyHz > 0 ? cycles * 1e9 / FrequencyHz : double.NaN;

    /// <summary>Three decimals: enough for ns, and the text is the same on every machine.</summary>
    internal static double Round(double v) => Math.Round(v, 3, MidpointRounding.ToEven);
}

/// <summary>One row of counters.csv: every counter of every run, in long form.</summary>
[CsvRecord]
public partial record CounterRow
{
    [CsvColumn("run")] public string Run { get; init; } = "";
    [CsvColumn("counter")] public string Counter { get; init; } = "";
    [CsvColumn("value")] public long Value { get; init; }

    public static IEnumerable<CounterRow> From(string runId, MetricSet m) =>
        m.All.Select(c => new CounterRow { Run = runId, Counter = c.Name, Value = c.Value });
}
