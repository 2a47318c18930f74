using System.Globalization;
using IrqBench.Machine.Costs;

namespace IrqBench.Harness.Output;

/// <summary>What a row read back from a results file must hold to be a result at all: times and counts that are
/// finite and not negative, vCPU counts a VM has, work done, a known clock, each run once. Every failure is an
/// <see cref="InputException"/> naming the file, the line (the header is line 1) and the value.</summary>
public static class RowChecks
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    public static void Runs(string file, IReadOnlyList<RunRow> rows)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            int line = i + 2;
            Word(file, line, "controller", r.Controller);
            Word(file, line, "workload", r.Workload);
            Word(file, line, "profile", r.Profile);
            if (r.Vcpus is < 1 or > 512) throw Bad(file, line, "vcpus", r.Vcpus.ToString(Ci), "a vCPU count from 1 to 512");
            if (r.FrequencyHz != 0 && (r.FrequencyHz < ProfileLoader.MinFrequencyHz || r.FrequencyHz > ProfileLoader.MaxFrequencyHz))
                throw Bad(file, line, "frequency_hz", r.FrequencyHz.ToString(Ci), "a CPU clock from 10 MHz to 10 GHz (or empty)");
            Positive(file, line, "sim_ns", r.SimNs);
            Positive(file, line, "work_units", r.WorkUnits);
            NonNegative(file, line, "throughput_per_s", r.ThroughputPerS);
            NonNegative(file, line, "irq_latency_p50_ns", r.IrqLatencyP50Ns);
            NonNegative(file, line, "irq_latency_p99_ns", r.IrqLatencyP99Ns);
            NonNegative(file, line, "irq_latency_max_ns", r.IrqLatencyMaxNs);
            foreach (var (name, v) in new (string, long)[]
                     {
                         ("exits_total", r.ExitsTotal), ("exits_hvc", r.ExitsHvc), ("exits_mmio", r.ExitsMmio), ("exits_sysreg", r.ExitsSysreg),
                         ("exits_wfi", r.ExitsWfi), ("exits_kick", r.ExitsKick), ("exits_maintenance", r.ExitsMaintenance), ("exits_timer", r.ExitsTimer),
                         ("guest_cycles", r.GuestCycles), ("hyp_cycles", r.HypCycles), ("idle_cycles", r.IdleCycles), ("kicks", r.Kicks),
                         ("wakeups", r.Wakeups), ("halt_all", r.HaltAll), ("lock_acquisitions", r.LockAcquisitions), ("lock_contended", r.LockContended),
                         ("lock_wait_cycles", r.LockWaitCycles), ("irqs_delivered", r.IrqsDelivered), ("ipis_sent", r.IpisSent),
                         ("lr_writes", r.LrWrites), ("lr_overflows", r.LrOverflows), ("its_commands", r.ItsCommands),
                     })
                if (v < 0) throw Bad(file, line, name, v.ToString(Ci), "a count, not negative");
            Once(file, line, seen, r.RunId, "the run");
        }
    }

    public static void Microbench(string file, IReadOnlyList<MicrobenchRow> rows)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            int line = i + 2;
            Word(file, line, "controller", r.Controller);
            Word(file, line, "profile", r.Profile);
            Word(file, line, "test", r.Test);
            if (r.Iterations < 0) throw Bad(file, line, "iterations", r.Iterations.ToString(Ci), "a count, not negative");
            NonNegative(file, line, "total_ns", r.TotalNs);
            NonNegative(file, line, "avg_ns", r.AvgNs);
            NonNegative(file, line, "exits_per_op", r.ExitsPerOp);
            if (r.PublishedNs is { } p) NonNegative(file, line, "published_ns", p);
            if (r.Ratio is { } q) NonNegative(file, line, "ratio", q);
            Once(file, line, seen, $"{r.Controller}/{r.Profile}@{r.ProfileSha256}/{r.Test}", "the micro-benchmark");
        }
    }

    public static void Exits(string file, IReadOnlyList<ExitRow> rows)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            int line = i + 2;
            Word(file, line, "run", r.Run);
            Word(file, line, "reason", r.Reason);
            foreach (var (name, v) in new (string, long)[] { ("exits", r.Exits), ("total_cycles", r.TotalCycles), ("min_cycles", r.MinCycles), ("max_cycles", r.MaxCycles) })
                if (v < 0) throw Bad(file, line, name, v.ToString(Ci), "a count, not negative");
            Once(file, line, seen, $"{r.Run} {r.Reason}", "the exit reason of the run");
        }
    }

    public static void Latency(string file, IReadOnlyList<LatencyRow> rows)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            int line = i + 2;
            Word(file, line, "run", r.Run);
            Word(file, line, "kind", r.Kind);
            if (r.Samples < 0) throw Bad(file, line, "samples", r.Samples.ToString(Ci), "a count, not negative");
            if (!(r.Quantile is >= 0 and <= 1)) throw Bad(file, line, "quantile", r.Quantile.ToString("R", Ci), "a quantile from 0 to 1");
            NonNegative(file, line, "ns", r.Ns);
            Once(file, line, seen, $"{r.Run} {r.Kind} {r.Quantile.ToString("R", Ci)}", "the quantile of the run");
        }
    }

    public static void LatencyStages(string file, IReadOnlyList<LatencyStageRow> rows)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var stages = Machine.Metrics.LatencyStages.All.Select(s => Machine.Metrics.LatencyStages.Name(s)).ToList();
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            int line = i + 2;
            Word(file, line, "run", r.Run);
            Word(file, line, "kind", r.Kind);
            if (!stages.Contains(r.Stage, StringComparer.Ordinal)) throw Bad(file, line, "stage", r.Stage, "one of " + string.Join(", ", stages));
            if (r.Interrupts < 1) throw Bad(file, line, "interrupts", r.Interrupts.ToString(Ci), "a count of at least 1");
            foreach (var (name, v) in new[] { ("mean_ns", r.MeanNs), ("p50_ns", r.P50Ns), ("p90_ns", r.P90Ns), ("p99_ns", r.P99Ns), ("max_ns", r.MaxNs) })
                NonNegative(file, line, name, v);
            Once(file, line, seen, $"{r.Run} {r.Kind} {r.Stage}", "the stage of the run");
        }
    }

    public static void Trust(string file, IReadOnlyList<Trust.ForgeryRow> rows)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            int line = i + 2;
            Word(file, line, "design", r.Design);
            Word(file, line, "organisation", r.Organisation);
            Word(file, line, "attack", r.Attack);
            if (r.Attempts < 1) throw Bad(file, line, "attempts", r.Attempts.ToString(Ci), "a count of at least 1");
            foreach (var (name, v) in new[] { ("accepted", r.Accepted), ("succeeded", r.Succeeded), ("guest_saw_anything", r.GuestSawAnything) })
                if (v < 0 || v > r.Attempts) throw Bad(file, line, name, v.ToString(Ci), $"a count from 0 to attempts ({r.Attempts.ToString(Ci)})");
            Once(file, line, seen, $"{r.Design} {r.Profile} {r.Attack}", "the attack on the design");
        }
    }

    /// <summary>A baseline (summary.csv): known metrics, finite medians, at least one seed.</summary>
    public static void Summary(string file, IReadOnlyList<SummaryRow> rows, IReadOnlyList<string> knownMetrics)
    {
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            int line = i + 2;
            Word(file, line, "controller", r.Controller);
            Word(file, line, "workload", r.Workload);
            if (!knownMetrics.Contains(r.Metric, StringComparer.Ordinal))
                throw new InputException($"{file}: line {line}: unknown metric '{r.Metric}' (known: {string.Join(", ", knownMetrics)})");
            if (r.Vcpus is < 1 or > 512) throw Bad(file, line, "vcpus", r.Vcpus.ToString(Ci), "a vCPU count from 1 to 512");
            if (r.N < 1) throw Bad(file, line, "n", r.N.ToString(Ci), "a number of seeds, at least 1");
            if (!double.IsFinite(r.Median)) throw Bad(file, line, "median", r.Median.ToString("R", Ci), "a finite number");
            foreach (var (name, v) in new[] { ("ci95_lower", r.CiLower), ("ci95_upper", r.CiUpper), ("ratio_vs_gicv3", r.RatioVsGicv3), ("ratio_vs_ideal", r.RatioVsIdeal) })
                if (v is { } x && !double.IsFinite(x)) throw Bad(file, line, name, x.ToString("R", Ci), "a finite number or empty");
        }
    }

    private static void Word(string file, int line, string column, string value)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new InputException($"{file}: line {line}: {column} is empty");
    }

    private static void Positive(string file, int line, string column, double v)
    {
        if (!(double.IsFinite(v) && v > 0)) throw Bad(file, line, column, v.ToString("R", Ci), "a finite number above 0");
    }

    private static void NonNegative(string file, int line, string column, double v)
    {
        if (!(double.IsFinite(v) && v >= 0)) throw Bad(file, line, column, v.ToString("R", Ci), "a finite number, not negative");
    }

    private static void Once(string file, int line, Dictionary<string, int> seen, string key, string what)
    {
        if (seen.TryGetValue(key, out int first)) throw new InputException($"{file}: line {line}: {what} {key} appears twice (also line {first})");
        seen[key] = line;
    }

    private static InputException Bad(string file, int line, string column, string value, string expected) =>
        new($"{file}: line {line}: {column} {value}: expected {expected}");
}
