namespace IrqBench.Harness.Output;

/// <summary>A scenario: what a run is without its controller and seed. Runs of one scenario are compared with each
/// other, seed by seed. The profile is named and hashed, so an edited copy of a profile that kept its name is a
/// different scenario from the reference.</summary>
public sealed record ScenarioKey(string Workload, string Profile, string ProfileSha256, int Vcpus, string Params) : IComparable<ScenarioKey>
{
    public static ScenarioKey Of(RunRow r) => new(r.Workload, r.Profile, r.ProfileSha256, r.Vcpus, r.Params);

    /// <summary>Workload, profile, vCPU count, parameters: the order of summary.csv and of the verdicts.</summary>
    public int CompareTo(ScenarioKey? other)
    {
        if (other is null) return 1;
        int c = string.CompareOrdinal(Workload, other.Workload);
        if (c == 0) c = string.CompareOrdinal(Profile, other.Profile);
        if (c == 0) c = string.CompareOrdinal(ProfileSha256, other.ProfileSha256);
        if (c == 0) c = Vcpus.CompareTo(other.Vcpus);
        if (c == 0) c = string.CompareOrdinal(Params, other.Params);
        return c;
    }
}
