namespace IrqBench.Machine.Costs;

/// <summary>
/// A cost profile (<c>profiles/NAME.json</c>): the clock, the hypervisor organisation and the primitive costs in
/// cycles, grouped in sections owned by the component that charges them (machine, gicv3, rvic, guest). Composite
/// figures — a whole IPI, a micro-benchmark — are never here: they emerge from the model.
/// </summary>
public sealed class CostProfile
{
    private readonly Dictionary<(string, string), Primitive> primitives;

    public CostProfile(string name, string description, long frequencyHz, Organisation organisation,
        string? publishedMachine, IEnumerable<Primitive> primitives)
    {
        Name = name;
        Description = description;
        FrequencyHz = frequencyHz;
        Organisation = organisation;
        PublishedMachine = publishedMachine;
        this.primitives = primitives.ToDictionary(p => (p.Section, p.Name));
    }

    public string Name { get; }
    public string Description { get; }
    public long FrequencyHz { get; }
    public Organisation Organisation { get; }

    /// <summary>The machine whose published measurements (costs.md §1.5, §1.2) the micro-benchmarks compare with.</summary>
    public string? PublishedMachine { get; }

    public IEnumerable<Primitive> All => primitives.Values.OrderBy(p => p.Section, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal);

    /// <summary>The cycles of a primitive. Components read these once at construction, never per event.</summary>
    public long Get(string section, string name) =>
        primitives.TryGetValue((section, name), out var p)
            ? p.Cycles
            : throw new ProfileException($"profile '{Name}': primitive {section}.{name} is not defined (is it declared in the component's PrimitiveSpec list?)");

    public bool Has(string section, string name) => primitives.ContainsKey((section, name));

    public double CyclesToNs(double cycles) => cycles * 1e9 / FrequencyHz;
    public long NsToCycles(double ns) => (long)Math.Round(ns * FrequencyHz / 1e9);

    /// <summary>A copy with some primitives replaced (sensitivity sweeps, tests).</summary>
    public CostProfile With(string section, string name, long cycles) =>
        new(Name, Description, FrequencyHz, Organisation, PublishedMachine,
            primitives.Values.Select(p => p.Section == section && p.Name == name ? p with { Cycles = cycles } : p));
}
