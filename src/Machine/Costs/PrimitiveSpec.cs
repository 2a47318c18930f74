namespace IrqBench.Machine.Costs;

/// <summary>
/// One primitive cost a component reads from the profile: its section, its name, what it means, and under which
/// organisations it must be present (it is an error to give it under the others, because it would never be charged).
/// </summary>
public sealed record PrimitiveSpec(string Section, string Name, string Meaning, params Organisation[] OnlyUnder)
{
    public bool AppliesTo(Organisation o) => OnlyUnder.Length == 0 || Array.IndexOf(OnlyUnder, o) >= 0;
}

/// <summary>A primitive as read from a profile: cycles, and the citation of <c>docs/costs.md</c> or the
/// "assumption: why" that justifies it; a calibrated primitive names the published figures it was fitted to.</summary>
public sealed record Primitive(string Section, string Name, long Cycles, string Source, IReadOnlyList<string> CalibratedOn)
{
    public Primitive(string section, string name, long cycles, string source) : this(section, name, cycles, source, []) { }
}
