using System.Text.Json;
using IrqBench.Harness.Stats;
using IrqBench.Harness.Sweep;

namespace IrqBench.Harness.Check;

/// <summary>How far a metric may move before <c>irqbench check</c> calls it a regression: |candidate − baseline| must
/// stay within relative·|baseline| + absolute. Modelled metrics are deterministic, so the committed thresholds are
/// tight; the absolute part absorbs the 3-decimal rounding of the CSVs.
/// <code>
/// { "default": { "relative": 0.0001, "absolute": 0.001 },
///   "metrics": { "irq_latency_max_ns": { "relative": 0.001 } },
///   "ignore": ["lock_wait_cycles"],
///   "host": { "threshold_percent": 10, "alpha": 0.01 } }
/// </code>
/// <c>host</c> is for BenchmarkDotNet timings (<c>--host</c>), which are noisy and get a statistical test instead.</summary>
public sealed record Thresholds(Limit Default, IReadOnlyDictionary<string, Limit> Metrics, IReadOnlySet<string> Ignore, HostLimit Host)
{
    public static IReadOnlyList<string> KnownMetrics { get; } = RunMetric.All.Select(m => m.Name).Concat(["avg_ns", "exits_per_op"]).ToList();

    public Limit For(string metric) => Metrics.TryGetValue(metric, out var l) ? l : Default;

    public static Thresholds Load(string file)
    {
        using var doc = JsonFields.Parse(file);
        var j = new JsonFields(file);
        var root = doc.RootElement;
        j.OnlyKeys(root, "", "default", "metrics", "ignore", "host");
        var dflt = LimitOf(j, j.Required(root, "", "default"), "default", null);
        var metrics = new Dictionary<string, Limit>(StringComparer.Ordinal);
        if (j.Optional(root, "metrics") is { } m)
        {
            if (m.ValueKind != JsonValueKind.Object) throw j.Error("metrics", "expected an object of metric name → limit");
            foreach (var p in m.EnumerateObject())
                metrics[Known(j, $"metrics.{p.Name}", p.Name)] = LimitOf(j, p.Value, $"metrics.{p.Name}", dflt);
        }
        var ignore = new HashSet<string>(StringComparer.Ordinal);
        if (j.Optional(root, "ignore") is { } ig)
        {
            // As documented, an empty list ignores nothing.
            if (ig.ValueKind != JsonValueKind.Array) throw j.Error("ignore", "expected an array of metric names");
            foreach (var (e, i) in ig.EnumerateArray().Select((e, i) => (e, i)))
                if (!ignore.Add(Known(j, $"ignore[{i}]", j.Word(e, $"ignore[{i}]"))))
                    throw j.Error($"ignore[{i}]", $"'{e.GetString()}' appears twice");
        }
        var host = HostLimit.Default;
        if (j.Optional(root, "host") is { } h)
        {
            j.OnlyKeys(h, "host", "threshold_percent", "alpha");
            host = new HostLimit(
                j.Optional(h, "threshold_percent") is { } tp ? Positive(j, tp, "host.threshold_percent", 1000) : host.ThresholdPercent,
                j.Optional(h, "alpha") is { } a ? Positive(j, a, "host.alpha", 0.5) : host.Alpha);
        }
        return new Thresholds(dflt, metrics, ignore, host);
    }

    private static double Positive(JsonFields j, JsonElement e, string field, double max) =>
        Finite(e) is { } d && d > 0 && d <= max
            ? d
            : throw j.Error(field, $"expected a number in (0, {max.ToString(System.Globalization.CultureInfo.InvariantCulture)}], found {e.GetRawText()}");

    /// <summary>A JSON number as a finite double; null for anything else (a string, 1e400).</summary>
    private static double? Finite(JsonElement e) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out double d) && double.IsFinite(d) ? d : null;

    private static string Known(JsonFields j, string field, string name) =>
        KnownMetrics.Contains(name) ? name : throw j.Error(field, $"unknown metric '{name}' (known: {string.Join(", ", KnownMetrics)})");

    private static Limit LimitOf(JsonFields j, JsonElement e, string field, Limit? inherit)
    {
        j.OnlyKeys(e, field, "relative", "absolute");
        double Read(string key, double? dflt)
        {
            if (j.Optional(e, key) is not { } v)
                return dflt ?? throw j.Error(JsonFields.Join(field, key), "missing (required in default)");
            if (v.ValueKind != JsonValueKind.Number) throw j.Error(JsonFields.Join(field, key), "expected a number");
            if (Finite(v) is not { } d) throw j.Error(JsonFields.Join(field, key), $"{v.GetRawText()} is not a finite number: a limit is a distance, ≥ 0");
            return d >= 0 ? d : throw j.Error(JsonFields.Join(field, key), $"{v.GetRawText()} is negative: a limit is a distance, ≥ 0");
        }
        return new Limit(Read("relative", inherit?.Relative), Read("absolute", inherit?.Absolute ?? 0));
    }
}

/// <summary>An allowed movement: relative to the baseline value, plus an absolute slack.</summary>
public sealed record Limit(double Relative, double Absolute)
{
    public double Allowed(double baseline) => Relative * Math.Abs(baseline) + Absolute;
}
