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
        string? publishedMachine, IEnumerable<Primitive> primitives, string source = "", string contentHash = "")
    {
        Source = source;
        ContentHash = contentHash;
        Name = name;
        Description = description;
        FrequencyHz = frequencyHz;
        Organisation = organisation;
        PublishedMachine = publishedMachine;
        this.primitives = primitives.ToDictionary(p => (p.Section, p.Name));
    }

    public string Name { get; }

    /// <summary>The file the profile was read from (as given to the loader), so that results name it.</summary>
    public string Source { get; }

    /// <summary>SHA-256 of the profile text as read (hex): an edited copy of a profile is told apart from the original
    /// even when it keeps its name. Copies made with <see cref="With"/> get a hash of their own.</summary>
    public string ContentHash { get; }
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

    /// <summary>The published figures (micro-benchmark test names) some primitive of this profile was fitted to: for
    /// those the model's figure is a calibration, for every other one a prediction.</summary>
    public IReadOnlySet<string> CalibratedOn => primitives.Values.SelectMany(p => p.CalibratedOn).ToHashSet(StringComparer.Ordinal);

    public Primitive Describe(string section, string name) => primitives[(section, name)];

    public double CyclesToNs(double cycles) => cycles * 1e9 / FrequencyHz;
    public long NsToCycles(double ns) => (long)Math.Round(ns * FrequencyHz / 1e9);

    /// <summary>A copy with some primitives replaced (sensitivity sweeps, tests).</summary>
    public CostProfile With(string section, string name, long cycles) =>
        new(Name, Description, FrequencyHz, Organisation, PublishedMachine,
            primitives.Values.Select(p => p.Section == section && p.Name == name ? p with { Cycles = cycles } : p),
            Source, Hash($"{ContentHash}+{section}.{name}={cycles}"));

    /// <summary>A copy with one primitive replaced and its source saying why (a what-if from the command line); named
    /// <paramref name="newName"/>, with a hash of its own.</summary>
    public CostProfile Override(string section, string name, long cycles, string source, string newName) =>
        new(newName, Description, FrequencyHz, Organisation, PublishedMachine,
            primitives.Values.Select(p => p.Section == section && p.Name == name ? p with { Cycles = cycles, Source = source, CalibratedOn = [] } : p),
            Source, Hash($"{ContentHash}+{section}.{name}={cycles}"));

    /// <summary>SHA-256 of <paramref name="text"/> as lower-case hex.</summary>
    public static string Hash(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
