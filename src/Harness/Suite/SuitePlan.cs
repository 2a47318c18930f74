using IrqBench.Machine.Contracts;
using IrqBench.Workloads.MicroBench;

namespace IrqBench.Harness.Suite;

/// <summary>One micro-benchmark of the table: a controller's test on a profile.</summary>
public sealed record MicrobenchItem(ControllerKit Kit, string Profile, IMicroBenchmark Test)
{
    public string Label => $"{Kit.Name} {Test.Name} ({Profile})";
}

/// <summary>A suite expanded against the selection and what is registered now: the runs to do (in the order their
/// results are written), the micro-benchmarks, and a note for every name or parameter that had to be left out.
/// Every name the user gave is checked here, before anything runs.</summary>
public sealed record SuitePlan(SuiteDefinition Suite, IReadOnlyList<string> Profiles, IReadOnlyList<string> Controllers, int Seeds, string Baseline,
    IReadOnlyList<Scenario> Runs, IReadOnlyList<MicrobenchItem> Microbench, IReadOnlyList<string> Notes)
{
    public static SuitePlan Expand(SuiteDefinition def, SuiteSelection sel)
    {
        var notes = new List<string>();
        var profiles = Chosen(sel.Profiles, def.Profiles);
        // An unknown or invalid profile fails here, naming the valid ones. A repeated value counts once (as for every
        // option); two spellings of one profile (its name and its path) would run each scenario twice under one name.
        var loaded = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in profiles)
        {
            var cp = ProfileStore.Load(p);
            if (loaded.TryGetValue($"{cp.Name}@{cp.ContentHash}", out var first))
                throw new InputException($"--profile {p}: the same profile as --profile {first} ({cp.Name}, the same content): give it once");
            loaded[$"{cp.Name}@{cp.ContentHash}"] = p;
        }

        Known("--controller", "controller", Registry.ControllerNames, sel.Controllers);
        Known("--baseline", "controller", Registry.ControllerNames, [sel.Baseline]);
        var controllers = Chosen(sel.Controllers, def.Controllers).ToList();
        if (!controllers.Contains(sel.Baseline))
        {
            controllers.Add(sel.Baseline);
            notes.Add($"the baseline {sel.Baseline} runs too, so that every design has its paired comparison");
        }
        var kits = new List<ControllerKit>();
        foreach (var name in controllers.Order(Stats.ControllerOrder.Instance))
        {
            if (Registry.FindController(name) is { } kit) kits.Add(kit);
            else notes.Add($"controller '{name}' is not registered in this build: skipped");
        }

        Known("--workload", "workload", Registry.WorkloadNames, sel.Workloads);
        var workloads = sel.Workloads is { Count: > 0 } picked
            ? picked.Distinct().Select(n => def.Workloads.FirstOrDefault(w => w.Name == n) ?? new SuiteWorkload(n, [4], [])).ToList()
            : def.Workloads.ToList();
        if (sel.Vcpus is { } vs && vs.FirstOrDefault(v => v is < 1 or > 512) is var bad and not 0)
            throw new InputException($"--vcpus {bad}: out of range [1, 512]");
        int seeds = sel.Seeds ?? def.Seeds;
        if (seeds < 1) throw new InputException($"--seeds {seeds}: at least 1");

        var runs = new List<Scenario>();
        var micro = new List<MicrobenchItem>();
        foreach (var profile in profiles)
            foreach (var sw in workloads)
            {
                if (sw.Name == SuiteDefinition.Microbench)
                {
                    micro.AddRange(kits.SelectMany(k => MicroBenchRunner.TestsFor(k).Select(t => new MicrobenchItem(k, profile, t))));
                    continue;
                }
                if (Registry.FindWorkload(sw.Name) is not { } w)
                {
                    notes.Add($"workload '{sw.Name}' is not registered in this build: skipped");
                    continue;
                }
                var declared = w.Parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
                var sets = sw.Sets.Where(kv => declared.Contains(kv.Key)).ToList();
                foreach (var kv in sw.Sets.Where(kv => !declared.Contains(kv.Key)))
                    notes.Add($"workload '{sw.Name}' has no parameter '{kv.Key}': the suite's {kv.Key}={kv.Value} is not applied");
                var vcpus = w.FixedVcpus is { } n ? [n] : sel.Vcpus is { Count: > 0 } v ? v.Distinct().Order().ToList() : sw.Vcpus;
                foreach (int vc in vcpus)
                    foreach (var kit in kits)
                        for (ulong seed = 1; seed <= (ulong)seeds; seed++)
                            runs.Add(new Scenario(kit.Name, w.Name, profile, vc, seed, sets));
            }
        return new SuitePlan(def, profiles, kits.Select(k => k.Name).ToList(), seeds, sel.Baseline, runs, micro, notes.Distinct().ToList());
    }

    private static IReadOnlyList<string> Chosen(IReadOnlyList<string>? picked, IReadOnlyList<string> dflt) =>
        picked is { Count: > 0 } ? picked.Distinct().ToList() : dflt;

    /// <summary>Every name must be registered: exit 2 naming the value and listing the valid ones.</summary>
    private static void Known(string option, string what, IReadOnlyList<string> valid, IReadOnlyList<string>? names)
    {
        foreach (var n in names ?? [])
            if (!valid.Contains(n)) throw new InputException($"{option} {n}: {Registry.Unknown(what, n, valid)}");
    }
}
