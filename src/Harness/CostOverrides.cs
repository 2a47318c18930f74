using System.Globalization;
using IrqBench.Machine.Costs;

namespace IrqBench.Harness;

/// <summary>
/// <c>--cost section.name=N</c> (run, compare, sweep): one-off what-ifs on the loaded profiles. Each replaces one
/// primitive's cycles; the profile gets a name that says so (<c>altra-vhe[machine.kick_ipi=900]</c>) and a hash of its
/// own, so results never pass for the reference profile's. The same override applies to every profile loaded while
/// the command runs.
/// </summary>
public sealed class CostOverrides
{
    private readonly List<(string Section, string Name, long Cycles)> items = [];

    public static CostOverrides None { get; } = new();

    public bool IsEmpty => items.Count == 0;

    public static CostOverrides Parse(IEnumerable<string>? given)
    {
        var o = new CostOverrides();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var g in given ?? [])
        {
            int eq = g.IndexOf('='), dot = g.IndexOf('.');
            if (eq <= 0 || dot <= 0 || dot > eq - 2)
                throw new InputException($"--cost {g}: expected section.primitive=cycles (e.g. machine.kick_ipi=900)");
            string section = g[..dot].Trim(), name = g[(dot + 1)..eq].Trim(), value = g[(eq + 1)..].Trim();
            if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long cycles) || cycles < 0 || cycles > ProfileLoader.MaxCycles)
                throw new InputException($"--cost {g}: {value} is not a whole number of cycles from 0 to {ProfileLoader.MaxCycles:N0}");
            if (!keys.Add($"{section}.{name}")) throw new InputException($"--cost {section}.{name}: given twice");
            o.items.Add((section, name, cycles));
        }
        return o;
    }

    public CostProfile Apply(CostProfile p)
    {
        if (IsEmpty) return p;
        string name = $"{p.Name}[{string.Join(",", items.Select(i => $"{i.Section}.{i.Name}={i.Cycles}"))}]";
        foreach (var (section, prim, cycles) in items)
        {
            if (!p.Has(section, prim))
                throw new InputException($"--cost {section}.{prim}: profile {p.Name} has no such primitive (see 'irqbench profiles --show {p.Name}')");
            p = p.Override(section, prim, cycles, $"what-if: --cost {section}.{prim}={cycles} (the profile has {p.Get(section, prim)}: {p.Describe(section, prim).Source})", name);
        }
        return p;
    }

    /// <summary>The overrides of the command now running (the CLI runs one command per process; a test runs them one
    /// at a time).</summary>
    public static CostOverrides Current { get; private set; } = None;

    /// <summary>Makes <paramref name="o"/> current until the returned scope is disposed.</summary>
    public static IDisposable Use(CostOverrides o)
    {
        var previous = Current;
        Current = o;
        return new Scope(() => Current = previous);
    }

    private sealed class Scope(Action end) : IDisposable
    {
        public void Dispose() => end();
    }
}
