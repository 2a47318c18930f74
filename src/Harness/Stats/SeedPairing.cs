using IrqBench.Harness.Output;

namespace IrqBench.Harness.Stats;

/// <summary>Pairs two controllers' runs of one scenario by seed, so that per-seed ratios compare runs that shared
/// their random draws. Seeds only one side ran are left out (a partial sweep); the pair count says how many
/// remain.</summary>
public static class SeedPairing
{
    public static (double[] Candidate, double[] Baseline) Values(IEnumerable<RunRow> candidate, IEnumerable<RunRow> baseline, Func<RunRow, double> read)
    {
        var b = baseline.GroupBy(r => r.Seed).ToDictionary(g => g.Key, g => g.First());
        var pairs = candidate.GroupBy(r => r.Seed).Select(g => g.First()).Where(r => b.ContainsKey(r.Seed)).OrderBy(r => r.Seed).ToList();
        return (pairs.Select(read).ToArray(), pairs.Select(r => read(b[r.Seed])).ToArray());
    }

    /// <summary>The paired ratio of <paramref name="read"/> (null when it has none: see <see cref="PairedRatio.Of"/>).</summary>
    public static PairedRatio? Ratio(IEnumerable<RunRow> candidate, IEnumerable<RunRow> baseline, Func<RunRow, double> read)
    {
        var (c, b) = Values(candidate, baseline, read);
        return PairedRatio.Of(c, b);
    }

    /// <summary>The mean over paired seeds of candidate − baseline (NaN without a pair). A mean, not a median, where
    /// differences are decomposed: means of parts add up to the mean of the whole.</summary>
    public static double MeanDifference(IEnumerable<RunRow> candidate, IEnumerable<RunRow> baseline, Func<RunRow, double> read)
    {
        var (c, b) = Values(candidate, baseline, read);
        return c.Length == 0 ? double.NaN : c.Zip(b, (x, y) => x - y).Average();
    }
}
