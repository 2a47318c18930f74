using CsvHelper;
using IrqBench.Machine.Costs;

namespace IrqBench.Harness.Trust;

/// <summary>One row of trust.csv: one design × profile × attack class — how many seeded attempts were made, how many
/// the design carried out when the host asked (<c>accepted</c>), how many the guest saw succeed
/// (<c>succeeded</c>: what the attack aims at), how many left the guest seeing anything unexpected at all, and the
/// first such observation in words.</summary>
[CsvRecord]
public partial record ForgeryRow
{
    [CsvColumn("design")] public string Design { get; init; } = "";
    [CsvColumn("organisation")] public string Organisation { get; init; } = "";
    [CsvColumn("profile")] public string Profile { get; init; } = "";
    [CsvColumn("attack")] public string Attack { get; init; } = "";
    [CsvColumn("attempts")] public int Attempts { get; init; }
    [CsvColumn("accepted")] public int Accepted { get; init; }
    [CsvColumn("succeeded")] public int Succeeded { get; init; }
    [CsvColumn("guest_saw_anything")] public int GuestSawAnything { get; init; }
    [CsvColumn("first_observation")] public string FirstObservation { get; init; } = "";

    internal static ForgeryRow From(string design, CostProfile profile, AttackClass attack, IReadOnlyList<AttemptResult> results) => new()
    {
        Design = design, Organisation = profile.Organisation.ToString().ToLowerInvariant(), Profile = profile.Name, Attack = attack.Name(),
        Attempts = results.Count, Accepted = results.Count(r => r.Accepted == true), Succeeded = results.Count(r => r.Succeeded),
        GuestSawAnything = results.Count(r => r.Seen.Any),
        FirstObservation = results.FirstOrDefault(r => r.Seen.Any)?.Seen.ToString() ?? "nothing unexpected",
    };
}
