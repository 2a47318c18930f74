using IrqBench.Harness.Output;

namespace IrqBench.Harness.Check;

/// <summary>Compares fresh summary rows with a baseline (a committed summary.csv): every baseline metric must exist
/// in the candidate, come from a profile with the same content (where both record its hash), and stay within its
/// threshold. Candidate rows the baseline lacks (a design added since) are reported, not failed.</summary>
public sealed record BaselineCheck(IReadOnlyList<MetricComparison> Compared, IReadOnlyList<string> NotInBaseline, IReadOnlyList<string> ChangedProfiles)
{
    public bool Passed => Compared.All(c => c.Status == CheckStatus.Ok);

    public IReadOnlyList<MetricComparison> Failures => Compared.Where(c => c.Status != CheckStatus.Ok).ToList();

    public static BaselineCheck Run(string baselineFile, IReadOnlyList<SummaryRow> baseline, IReadOnlyList<SummaryRow> candidate, Thresholds t)
    {
        if (baseline.Count == 0) throw new InputException($"{baselineFile}: no rows: a baseline must hold at least one metric");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (b, i) in baseline.Select((b, i) => (b, i)))
            if (!seen.Add(b.CheckKey)) throw new InputException($"{baselineFile}: row {i + 2}: {b.CheckKey} appears twice");
        var cand = candidate.GroupBy(c => c.CheckKey).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        var compared = new List<MetricComparison>();
        foreach (var b in baseline)
        {
            if (t.Ignore.Contains(b.Metric)) continue;
            double allowed = t.For(b.Metric).Allowed(b.Median);
            if (!cand.TryGetValue(b.CheckKey, out var c))
            {
                compared.Add(new(b.CheckKey, b.Metric, b.Median, null, allowed, CheckStatus.Missing));
                continue;
            }
            var status = ProfileDiffers(b, c) ? CheckStatus.ProfileChanged
                : Math.Abs(c.Median - b.Median) <= allowed ? CheckStatus.Ok : CheckStatus.Moved;
            compared.Add(new(b.CheckKey, b.Metric, b.Median, c.Median, allowed, status));
        }
        var notIn = cand.Keys.Where(k => !seen.Contains(k)).Order(StringComparer.Ordinal).ToList();
        var changed = baseline.Where(b => cand.TryGetValue(b.CheckKey, out var c) && ProfileDiffers(b, c))
            .Select(b => $"{b.Profile}: baseline sha256 {b.ProfileSha256[..12]}…, now {cand[b.CheckKey].ProfileSha256[..12]}…")
            .Distinct().Order(StringComparer.Ordinal).ToList();
        return new BaselineCheck(compared, notIn, changed);
    }

    /// <summary>A baseline written before profiles were hashed says nothing about its profile's content: only two
    /// recorded hashes that differ count.</summary>
    private static bool ProfileDiffers(SummaryRow b, SummaryRow c) =>
        b.ProfileSha256.Length >= 12 && c.ProfileSha256.Length >= 12 && b.ProfileSha256 != c.ProfileSha256;
}
