using System.Globalization;

namespace IrqBench.Workloads.Parameters;

/// <summary>A workload's parameter values: the defaults, overridden by <c>--set key=value</c> or a scenario file, each
/// checked against its <see cref="ParameterSpec"/>.</summary>
public sealed class WorkloadParameters
{
    private readonly Dictionary<string, string> values;

    private WorkloadParameters(string workload, IReadOnlyList<ParameterSpec> specs, Dictionary<string, string> values)
    {
        Workload = workload;
        Specs = specs;
        this.values = values;
    }

    public string Workload { get; }
    public IReadOnlyList<ParameterSpec> Specs { get; }

    public static WorkloadParameters Create(string workload, IReadOnlyList<ParameterSpec> specs, IEnumerable<KeyValuePair<string, string>> overrides)
    {
        var v = specs.ToDictionary(s => s.Name, s => s.Default, StringComparer.Ordinal);
        foreach (var (key, value) in overrides)
        {
            var spec = specs.FirstOrDefault(s => s.Name == key)
                ?? throw new ParameterException(specs.Count == 0
                    ? $"unknown parameter '{key}' for workload {workload}: it takes no parameters"
                    : $"unknown parameter '{key}' for workload {workload} (known: {string.Join(", ", specs.Select(s => s.Name))})");
            if (spec.Validate(value) is { } err) throw new ParameterException($"workload {workload}: {err}");
            v[key] = value;
        }
        return new WorkloadParameters(workload, specs, v);
    }

    public string GetString(string name) => values.TryGetValue(name, out var s) ? s : throw new KeyNotFoundException($"workload {Workload} has no parameter {name}");
    public long GetLong(string name) => long.Parse(GetString(name), CultureInfo.InvariantCulture);
    public int GetInt(string name) => checked((int)GetLong(name));
    public double GetDouble(string name) => double.Parse(GetString(name), CultureInfo.InvariantCulture);

    /// <summary>"key=value;key=value" in spec order: the params column of runs.csv.</summary>
    public string ToCanonicalString() => string.Join(";", Specs.Select(s => $"{s.Name}={values[s.Name]}"));
}
