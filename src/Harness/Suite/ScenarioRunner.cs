using IrqBench.Harness.Cli;

namespace IrqBench.Harness.Suite;

/// <summary>Runs scenarios through the same path as <c>irqbench run</c>, so a suite row is exactly what the single
/// command would print for the same arguments.</summary>
public static class ScenarioRunner
{
    public static RunOutcome Run(Scenario s)
    {
        try
        {
            return RunCommand.Execute(s.Controller, s.Workload, s.Profile, s.Vcpus,
                s.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Sets.Select(kv => $"{kv.Key}={kv.Value}"));
        }
        catch (Exception e) when (e is not InputException)
        {
            // A model failure deep in a suite of hundreds of runs: say which run, so it can be repeated with `irqbench run`.
            throw new InvalidOperationException($"run failed: {s.Label}: {e.Message}", e);
        }
    }
}
