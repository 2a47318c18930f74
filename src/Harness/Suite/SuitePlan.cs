using IrqBench.Machine.Contracts;

namespace IrqBench.Harness.Suite;

/// <summary>A suite expanded against what is registered now: the runs to do, the controllers whose micro-benchmark
/// table to produce, and a note for every name or parameter that had to be left out.</summary>
public sealed record SuitePlan(IReadOnlyList<Scenario> Runs, IReadOnlyList<ControllerKit> MicrobenchKits, IReadOnlyList<string> Notes)
{
    public static SuitePlan Expand(SuiteDefinition def)
    {
        var notes = new List<string>();
        var kits = new List<ControllerKit>();
        foreach (var name in def.Controllers)
        {
            if (Registry.FindController(name) is { } kit) kits.Add(kit);
            else notes.Add($"controller '{name}' is not registered in this build: skipped");
        }

        var runs = new List<Scenario>();
        foreach (var sw in def.Workloads)
        {
            if (Registry.FindWorkload(sw.Name) is not { } w)
            {
                notes.Add($"workload '{sw.Name}' is not registered in this build: skipped");
                continue;
            }
            var declared = w.Parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            var sets = new List<KeyValuePair<string, string>>();
            foreach (var kv in sw.Sets)
            {
                if (declared.Contains(kv.Key)) sets.Add(kv);
                else notes.Add($"workload '{sw.Name}' has no parameter '{kv.Key}': the suite's {kv.Key}={kv.Value} is not applied");
            }
            var vcpus = w.FixedVcpus is { } n ? [n] : sw.Vcpus;
            foreach (int v in vcpus)
                foreach (var kit in kits)
                    for (ulong seed = 1; seed <= (ulong)def.Seeds; seed++)
                        runs.Add(new Scenario(kit.Name, w.Name, def.Profile, v, seed, sets));
        }
        return new SuitePlan(runs, kits, notes);
    }
}
