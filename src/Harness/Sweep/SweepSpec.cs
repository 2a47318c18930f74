using System.Text.Json;
using IrqBench.Harness.Suite;
using IrqBench.Workloads.Parameters;

namespace IrqBench.Harness.Sweep;

/// <summary>
/// A sweep spec (JSON): a grid of controllers × workloads (each with its parameter sets and optionally its own vCPU
/// counts) × profiles × vCPU counts × seeds.
/// <code>
/// { "controllers": ["gicv3", "rvic", "ideal"],
///   "workloads": ["hackbench", { "name": "kbuild", "params": [{ "jobs": 32 }, { "jobs": 64 }], "vcpus": [8] }],
///   "profiles": ["altra-vhe", "pkvm"],      // optional; default altra-vhe
///   "vcpus": [4, 16, 64],                    // optional; default 4 (a workload with a fixed count uses its own)
///   "seeds": [1, 2, 3]  or  { "first": 1, "count": 5 } }
/// </code>
/// Everything is checked against the registry, the profiles and the workloads' parameter specs before any run starts,
/// so a bad spec fails at once, naming the field, and writes nothing.
/// </summary>
public sealed record SweepSpec(string File, IReadOnlyList<string> Controllers, IReadOnlyList<SweepWorkload> Workloads,
    IReadOnlyList<string> Profiles, IReadOnlyList<int> Vcpus, IReadOnlyList<ulong> Seeds)
{
    /// <summary>The most runs one spec may describe: beyond it the grid itself (its labels, grid.txt) would not fit in
    /// memory long before its runs finished. Split a larger sweep into several specs.</summary>
    public const long MaxGridRuns = 1_000_000;

    public static SweepSpec Load(string file)
    {
        using var doc = JsonFields.Parse(file);
        var j = new JsonFields(file);
        var root = doc.RootElement;
        j.OnlyKeys(root, "", "controllers", "workloads", "profiles", "vcpus", "seeds");

        var controllers = j.NonEmptyArray(j.Required(root, "", "controllers"), "controllers").Select((e, i) =>
        {
            string f = $"controllers[{i}]", name = j.Word(e, f);
            return Registry.FindController(name) is not null ? name
                : throw j.Error(f, Registry.Unknown("controller", name, Registry.ControllerNames));
        }).ToList();
        Once(j, "controllers", controllers, c => c, c => $"controller {c}");

        var profiles = j.Optional(root, "profiles") is { } ps
            ? j.NonEmptyArray(ps, "profiles").Select((e, i) => CheckProfile(j, $"profiles[{i}]", j.Word(e, $"profiles[{i}]"))).ToList()
            : [(ProfileStore.DefaultProfile, ProfileStore.Load(ProfileStore.DefaultProfile))];
        // Two spellings of one profile (a name and its path) would run every scenario twice under one name.
        Once(j, "profiles", profiles, p => $"{p.Profile.Name}@{p.Profile.ContentHash}", p => $"profile {p.Profile.Name} (the same file content)");
        var vcpus = j.Optional(root, "vcpus") is { } vs ? VcpuList(j, vs, "vcpus") : [4];
        var seeds = ParseSeeds(j, j.Required(root, "", "seeds"));
        var workloads = j.NonEmptyArray(j.Required(root, "", "workloads"), "workloads").Select((e, i) => Workload(j, e, $"workloads[{i}]", vcpus)).ToList();
        var spec = new SweepSpec(file, controllers, workloads.Select(w => w.Workload).ToList(), profiles.Select(p => p.Name).ToList(), vcpus, seeds);

        double runs = workloads.Sum(w => (double)w.Workload.ParamSets.Count * w.Workload.Vcpus.Count) * profiles.Count * controllers.Count * seeds.Count;
        if (runs > MaxGridRuns)
            throw new InputException($"{file}: the grid has {runs:N0} runs (workloads × parameter sets × vCPU counts {workloads.Sum(w => w.Workload.ParamSets.Count * w.Workload.Vcpus.Count):N0}, " +
                                     $"× {Plural.Of(profiles.Count, "profile")} × {Plural.Of(controllers.Count, "controller")} × {Plural.Of(seeds.Count, "seed")}): " +
                                     $"at most {MaxGridRuns:N0}; split it into several specs");
        NoRepeatedScenarios(j, workloads);
        CheckScenarios(j, workloads, controllers);
        return spec;
    }

    /// <summary>A value given twice in a list would make the same runs twice and count them as two seeds.</summary>
    private static void Once<T>(JsonFields j, string field, IReadOnlyList<T> items, Func<T, string> key, Func<T, string> what)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < items.Count; i++)
        {
            if (seen.TryGetValue(key(items[i]), out int first))
                throw j.Error($"{field}[{i}]", $"{what(items[i])} appears twice (also {field}[{first}]): give each once");
            seen[key(items[i])] = i;
        }
    }

    /// <summary>Two workload entries whose parameter sets and vCPU counts overlap would run the same scenarios twice.</summary>
    private static void NoRepeatedScenarios(JsonFields j, IReadOnlyList<ParsedWorkload> workloads)
    {
        var seen = new Dictionary<(string, string, int), string>();
        foreach (var w in workloads)
            for (int k = 0; k < w.Canonical.Count; k++)
                foreach (int v in w.Workload.Vcpus)
                {
                    string here = w.ParamsField(k);
                    if (seen.TryGetValue((w.Workload.Name, w.Canonical[k], v), out var first))
                        throw j.Error(here, $"the same scenario as {first} ({w.Workload.Name} {w.Canonical[k]} on {Plural.Of(v, "vCPU")}): give each once");
                    seen[(w.Workload.Name, w.Canonical[k], v)] = here;
                }
    }

    /// <summary>What the workloads would find only once a run starts (a micro-benchmark test a controller lacks, a
    /// trace file that is missing or malformed), before anything is written.</summary>
    private static void CheckScenarios(JsonFields j, IReadOnlyList<ParsedWorkload> workloads, IReadOnlyList<string> controllers)
    {
        var checkedOnce = new HashSet<(string, string, string, int)>();
        foreach (var w in workloads)
        {
            var workload = Registry.Workload(w.Workload.Name);
            for (int k = 0; k < w.Parameters.Count; k++)
                foreach (int v in w.Workload.Vcpus)
                    foreach (var c in controllers)
                    {
                        // A trace is the same file for every controller: read once per vCPU count.
                        string byController = workload is Workloads.Trace.TraceWorkload ? "" : c;
                        if (!checkedOnce.Add((byController, w.Workload.Name, w.Canonical[k], v))) continue;
                        if (ScenarioCheck.Problem(Registry.Controller(c), workload, w.Parameters[k], v) is { } problem)
                            throw j.Error(w.ParamsField(k), $"{problem} (with controller {c} on {Plural.Of(v, "vCPU")})");
                    }
        }
    }

    private static (string Name, Machine.Costs.CostProfile Profile) CheckProfile(JsonFields j, string field, string name)
    {
        try { return (name, ProfileStore.Load(name)); }
        catch (InputException e) { throw j.Error(field, e.Message); }
    }

    private static List<int> VcpuList(JsonFields j, JsonElement e, string field)
    {
        var list = j.NonEmptyArray(e, field).Select((x, i) => (int)j.Integer(x, $"{field}[{i}]", 1, 512)).ToList();
        Once(j, field, list, v => v.ToString(System.Globalization.CultureInfo.InvariantCulture), v => $"the vCPU count {v}");
        return list;
    }

    private static List<ulong> ParseSeeds(JsonFields j, JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            j.OnlyKeys(e, "seeds", "first", "count");
            long count = j.Integer(j.Required(e, "seeds", "count"), "seeds.count", 1, 10_000);
            long first = j.Integer(j.Required(e, "seeds", "first"), "seeds.first", 0, long.MaxValue - count + 1);
            return Enumerable.Range(0, (int)count).Select(k => (ulong)(first + k)).ToList();
        }
        var seeds = j.NonEmptyArray(e, "seeds").Select((x, i) => (ulong)j.Integer(x, $"seeds[{i}]", 0, long.MaxValue)).ToList();
        Once(j, "seeds", seeds, s => s.ToString(System.Globalization.CultureInfo.InvariantCulture), s => $"the seed {s}");
        return seeds;
    }

    /// <summary>A workload entry as read: its grid part, and per parameter set the checked values, their canonical
    /// text (what runs.csv's params column holds) and the field it came from.</summary>
    private sealed record ParsedWorkload(SweepWorkload Workload, IReadOnlyList<WorkloadParameters> Parameters, IReadOnlyList<string> Canonical,
        string Field, bool HasParams)
    {
        public string ParamsField(int k) => HasParams ? $"{Field}.params[{k}]" : Field;
    }

    private static ParsedWorkload Workload(JsonFields j, JsonElement e, string field, IReadOnlyList<int> defaultVcpus)
    {
        string name;
        JsonElement? paramsEl = null, vcpusEl = null;
        if (e.ValueKind == JsonValueKind.Object)
        {
            j.OnlyKeys(e, field, "name", "params", "vcpus");
            name = j.Word(j.Required(e, field, "name"), $"{field}.name");
            paramsEl = j.Optional(e, "params");
            vcpusEl = j.Optional(e, "vcpus");
        }
        else name = j.Word(e, field);
        string nameField = e.ValueKind == JsonValueKind.Object ? $"{field}.name" : field;
        var w = Registry.FindWorkload(name)
            ?? throw j.Error(nameField, Registry.Unknown("workload", name, Registry.WorkloadNames));

        var sets = new List<IReadOnlyList<KeyValuePair<string, string>>>();
        var parameters = new List<WorkloadParameters>();
        if (paramsEl is { } pe)
            foreach (var (set, i) in j.NonEmptyArray(pe, $"{field}.params").Select((x, i) => (x, i)))
            {
                string sf = $"{field}.params[{i}]";
                if (set.ValueKind != JsonValueKind.Object) throw j.Error(sf, "expected an object of parameter values");
                var kvs = set.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, j.Scalar(p.Value, $"{sf}.{p.Name}"))).ToList();
                foreach (var kv in kvs)
                {
                    try { WorkloadParameters.Create(w.Name, w.Parameters, [kv]); }
                    catch (ParameterException ex) { throw j.Error($"{sf}.{kv.Key}", ex.Message); }
                }
                sets.Add(kvs);
                parameters.Add(WorkloadParameters.Create(w.Name, w.Parameters, kvs));
            }
        else
        {
            sets.Add([]);
            parameters.Add(WorkloadParameters.Create(w.Name, w.Parameters, []));
        }
        var canonical = parameters.Select(p => p.ToCanonicalString()).ToList();
        if (paramsEl is not null)
            Once(j, $"{field}.params", canonical, c => c, c => $"the parameter set {c}");

        IReadOnlyList<int> vcpus = vcpusEl is { } ve ? VcpuList(j, ve, $"{field}.vcpus") : w.FixedVcpus is { } n ? [n] : defaultVcpus;
        if (w.FixedVcpus is { } fixedN && vcpus.Any(v => v != fixedN))
            throw j.Error(vcpusEl is null ? "vcpus" : $"{field}.vcpus", $"workload {w.Name} runs on exactly {fixedN} vCPUs");
        return new ParsedWorkload(new SweepWorkload(w.Name, sets, vcpus), parameters, canonical, field, paramsEl is not null);
    }

    /// <summary>The grid in canonical order: workload (spec order), parameter set, profile, vCPUs, controller, seed.
    /// A run's index in this list is its identity for sharding and resuming.</summary>
    public IReadOnlyList<Scenario> Grid() =>
        (from w in Workloads
         from set in w.ParamSets
         from p in Profiles
         from v in w.Vcpus
         from c in Controllers
         from s in Seeds
         select new Scenario(c, w.Name, p, v, s, set)).ToList();
}

/// <summary>A workload of a sweep with its parameter sets and vCPU counts.</summary>
public sealed record SweepWorkload(string Name, IReadOnlyList<IReadOnlyList<KeyValuePair<string, string>>> ParamSets, IReadOnlyList<int> Vcpus);
