using System.Globalization;

namespace IrqBench.Harness.Suite;

/// <summary>One run to do: controller × workload × profile × vCPU count × seed, with workload parameter overrides
/// (in the order they were given). Names only; <see cref="ScenarioRunner"/> resolves and validates them.</summary>
public sealed record Scenario(string Controller, string Workload, string Profile, int Vcpus, ulong Seed,
    IReadOnlyList<KeyValuePair<string, string>> Sets)
{
    /// <summary>A short human-readable label for progress lines and error messages.</summary>
    public string Label =>
        $"{Controller} {Workload}{(Sets.Count == 0 ? "" : " " + string.Join(",", Sets.Select(kv => $"{kv.Key}={kv.Value}")))} " +
        $"{Vcpus.ToString(CultureInfo.InvariantCulture)} vCPUs seed {Seed.ToString(CultureInfo.InvariantCulture)} ({Profile})";
}
