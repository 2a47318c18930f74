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

        var profiles = j.Optional(root, "profiles") is { } ps
            ? j.NonEmptyArray(ps, "profiles").Select((e, i) => CheckProfile(j, $"profiles[{i}]", j.Word(e, $"profiles[{i}]"))).ToList()
            : [ProfileStore.DefaultProfile];
        var vcpus = j.Optional(root, "vcpus") is { } vs ? VcpuList(j, vs, "vcpus") : [4];
        var seeds = ParseSeeds(j, j.Required(root, "", "seeds"));
        var workloads = j.NonEmptyArray(j.Required(root, "", "workloads"), "workloads").Select((e, i) => Workload(j, e, $"workloads[{i}]", vcpus)).ToList();
        return new SweepSpec(file, controllers, workloads, profiles, vcpus, seeds);
    }

    private static string CheckProfile(JsonFields j, string field, string name)
    {
        try { ProfileStore.Load(name); return name; }
        catch (InputException e) { throw j.Error(field, e.Message); }
    }

    private static List<int> VcpuList(JsonFields j, JsonElement e, string field) =>
        j.NonEmptyArray(e, field).Select((x, i) => (int)j.Integer(x, $"{field}[{i}]", 1, 512)).ToList();

    private static List<ulong> ParseSeeds(JsonFields j, JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            j.OnlyKeys(e, "seeds", "first", "count");
            long first = j.Integer(j.Required(e, "seeds", "first"), "seeds.first", 0, long.MaxValue);
            long count = j.Integer(j.Required(e, "seeds", "count"), "seeds.count", 1, 10_000);
            return Enumerable.Range(0, (int)count).Select(k => (ulong)(first + k)).ToList();
        }
        var seeds = j.NonEmptyArray(e, "seeds").Select((x, i) => (ulong)j.Integer(x, $"seeds[{i}]", 0, long.MaxValue)).ToList();
        return seeds.Distinct().Count() == seeds.Count ? seeds : throw j.Error("seeds", "a seed appears twice");
    }

    private static SweepWorkload Workload(JsonFields j, JsonElement e, string field, IReadOnlyList<int> defaultVcpus)
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
            }
        else sets.Add([]);

        IReadOnlyList<int> vcpus = vcpusEl is { } ve ? VcpuList(j, ve, $"{field}.vcpus") : w.FixedVcpus is { } n ? [n] : defaultVcpus;
        if (w.FixedVcpus is { } fixedN && vcpus.Any(v => v != fixedN))
            throw j.Error(vcpusEl is null ? "vcpus" : $"{field}.vcpus", $"workload {w.Name} runs on exactly {fixedN} vCPUs");
        return new SweepWorkload(w.Name, sets, vcpus);
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
