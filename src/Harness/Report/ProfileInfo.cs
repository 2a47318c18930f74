using IrqBench.Harness.Output;

namespace IrqBench.Harness.Report;

/// <summary>A profile as the results know it: name, organisation, file and content hash. <see cref="Label"/> is the
/// name, with the start of the hash when another profile of the same name (an edited copy) is in the same results.</summary>
public sealed record ProfileInfo(string Name, string Sha256, string File, string Organisation, long FrequencyHz, string Label)
{
    /// <summary>The profiles of these runs: the organisations in the standard order (VHE, nVHE, pKVM), others after.</summary>
    public static List<ProfileInfo> Of(IEnumerable<RunRow> runs, IEnumerable<MicrobenchRow> microbench)
    {
        // A profile that only ran micro-benchmarks is known by name and hash alone.
        var distinct = runs.DistinctBy(r => (r.Profile, r.ProfileSha256))
            .Concat(microbench.Select(m => new RunRow { Profile = m.Profile, ProfileSha256 = m.ProfileSha256 }))
            .DistinctBy(r => (r.Profile, r.ProfileSha256)).ToList();
        return distinct
            .Select(r => new ProfileInfo(r.Profile, r.ProfileSha256, r.ProfileFile, r.Organisation, r.FrequencyHz,
                distinct.Count(o => o.Profile == r.Profile) > 1 ? r.ProfileLabel : r.Profile))
            .OrderBy(p => Rank(p.Name)).ThenBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Sha256, StringComparer.Ordinal)
            .ToList();
    }

    public bool Is(RunRow r) => r.Profile == Name && r.ProfileSha256 == Sha256;
    public bool Is(MicrobenchRow m) => m.Profile == Name && m.ProfileSha256 == Sha256;

    /// <summary>"altra-vhe (VHE, 3.00 GHz)"; the name alone where the results do not say more (micro-benchmarks only,
    /// or files written before runs.csv recorded it).</summary>
    public string Title => Organisation.Length == 0 || FrequencyHz == 0 ? Label
        : $"{Label} ({Organisation.ToUpperInvariant()}, {(FrequencyHz / 1e9).ToString("F2", System.Globalization.CultureInfo.InvariantCulture)} GHz)";

    private static int Rank(string name)
    {
        int i = Suite.SuiteDefinition.Organisations.ToList().IndexOf(name);
        return i < 0 ? int.MaxValue : i;
    }
}
