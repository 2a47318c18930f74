using IrqBench.Harness.Output;

namespace IrqBench.Harness.Check;

/// <summary>Compares fresh summary rows with a baseline (a committed summary.csv): every baseline metric must exist
/// in the candidate and stay within its threshold. Candidate rows the baseline lacks (a design added since) are
/// reported, not failed.</summary>
public sealed record BaselineCheck(IReadOnlyList<MetricComparison> Compared, IReadOnlyList<string> NotInBaseline)
{
    public bool Passed => Compared.All(c => c.Status == CheckStatus.Ok);

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
            var status = Math.Abs(c.Median - b.Median) <= allowed ? CheckStatus.Ok : CheckStatus.Moved;
            compared.Add(new(b.CheckKey, b.Metric, b.Median, c.Median, allowed, status));
        }
        var notIn = cand.Keys.Where(k => !seen.Contains(k)).Order(StringComparer.Ordinal).ToList();
        return new BaselineCheck(compared, notIn);
    }
}
