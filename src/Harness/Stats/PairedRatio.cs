using Perfolizer.Mathematics.Common;
using Pragmastat;

namespace IrqBench.Harness.Stats;

/// <summary>
/// The one ratio IrqBench reports, wherever a ratio appears (verdicts, summary.csv, summary.json, plots): candidate /
/// baseline of a per-run number, paired by seed. Every controller runs the same seeds, and a seed's runs share the
/// workload's random draws, so the per-seed ratio cancels what the seed does to both. The estimate is the
/// Hodges-Lehmann centre of the per-seed log ratios (the median of their Walsh averages), exponentiated: a geometric
/// pseudo-median, so that candidate/baseline is exactly 1 / (baseline/candidate). The interval is the exact 95 %
/// signed-rank interval of that centre (<see cref="SignedRank"/>), which exists from
/// <see cref="MinimumPairs"/> pairs on; it is what "resolves ±x %" in the report refers to.
/// </summary>
/// <param name="Pairs">seeds both sides ran</param>
/// <param name="Lower">interval ends; null with fewer than <see cref="MinimumPairs"/> pairs</param>
/// <param name="Confidence">the interval's exact coverage (≥ <see cref="Level"/>: the distribution is discrete)</param>
/// <param name="LogSpread">standard deviation of the per-seed log ratios (0 for one pair): what planning seeds needs</param>
public sealed record PairedRatio(int Pairs, double Ratio, double? Lower, double? Upper, double? Confidence, double LogSpread)
{
    public const double Level = 0.95;

    /// <summary>Each side of the two-sided 95 % interval.</summary>
    public const double AlphaOneSided = (1 - Level) / 2;

    /// <summary>How the estimate and its interval are named wherever they are printed.</summary>
    public const string EstimateName = "Hodges-Lehmann centre of the per-seed ratios", IntervalName = "95 % exact signed-rank interval of the " + EstimateName;

    /// <summary>6: with fewer pairs no sign pattern is rarer than 2.5 %, so no 95 % interval exists.</summary>
    public static int MinimumPairs { get; } = SignedRank.MinimumPairs(AlphaOneSided);

    /// <summary>Half the interval's width in percent of the ratio scale: the smallest difference this comparison
    /// resolves ("±x %"); null without an interval.</summary>
    public double? ResolutionPercent => Lower is { } lo && Upper is { } hi ? (hi - lo) / 2 * 100 : null;

    /// <summary>The ratio of per-seed values <paramref name="candidate"/>[i] / <paramref name="baseline"/>[i] (same
    /// seed at the same index). Null when there is no pair, or a baseline value is not positive (no ratio exists) or a
    /// candidate value is negative. A candidate value of 0 (a count that is zero) gives a per-seed ratio of 0.</summary>
    public static PairedRatio? Of(IReadOnlyList<double> candidate, IReadOnlyList<double> baseline)
    {
        if (candidate.Count != baseline.Count) throw new ArgumentException("paired samples differ in length");
        int n = candidate.Count;
        if (n == 0 || baseline.Any(b => !(b > 0)) || candidate.Any(c => !(c >= 0) || double.IsInfinity(c))) return null;
        var logs = candidate.Select((c, i) => Math.Log(c / baseline[i])).ToArray();
        var walsh = SignedRank.WalshAverages(logs);
        double centre = Math.Exp(SignedRank.MedianOfSorted(walsh));
        double spread = Spread(logs);
        int k = SignedRank.LowerRank(n, AlphaOneSided);
        if (k == 0) return new PairedRatio(n, centre, null, null, null, spread);
        return new PairedRatio(n, centre, Math.Exp(walsh[k - 1]), Math.Exp(walsh[^k]), SignedRank.AchievedConfidence(n, k), spread);
    }

    /// <summary>About how many seeds give an interval half-width of <paramref name="resolutionPercent"/> at this
    /// spread: the Hodges-Lehmann centre of normal data has variance (π/3)·σ²/n, so n ≈ (1.96·σ·√(π/3) / ln(1 + r))².
    /// Never fewer than <see cref="MinimumPairs"/>; null when the spread is unknown (one pair) or infinite.</summary>
    public int? SeedsFor(double resolutionPercent)
    {
        if (Pairs < 2 || !double.IsFinite(LogSpread)) return null;
        double perSeed = 1.959964 * LogSpread * Math.Sqrt(Math.PI / 3) / Math.Log(1 + resolutionPercent / 100);
        return Math.Max(MinimumPairs, (int)Math.Ceiling(perSeed * perSeed));
    }

    private static double Spread(double[] logs) =>
        logs.Length < 2 ? 0
        : logs.Any(double.IsInfinity) ? double.PositiveInfinity
        : Moments.Create(new Sample(logs)).StandardDeviation;
}
