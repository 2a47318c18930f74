using System.Globalization;

namespace IrqBench.Harness.Stats;

public enum VerdictKind { Slower, Faster, Equivalent, Inconclusive, TooFewSeeds }

/// <summary>
/// "Is <c>candidate</c> slower than <c>baseline</c> by more than X %?", read off the paired ratio's 95 % interval
/// (<see cref="PairedRatio"/>) against the band [1 − X, 1 + X]: slower when the whole interval lies above 1 + X,
/// faster when it lies below 1 − X, equivalent when it lies inside the band (two one-sided tests at 2.5 % each),
/// otherwise inconclusive. Because the interval is the inverted signed-rank test, "above 1 + X" is that test
/// rejecting "ratio ≤ 1 + X" at 2.5 %; the forest plot shows exactly this picture. With fewer than
/// <see cref="PairedRatio.MinimumPairs"/> paired seeds no 95 % interval exists and the verdict says so.
/// </summary>
public sealed record Verdict(string Candidate, string Baseline, PairedRatio Ratio, double ThresholdPercent, VerdictKind Kind)
{
    public static Verdict Decide(string candidate, string baseline, PairedRatio ratio, double thresholdPercent)
    {
        double up = 1 + thresholdPercent / 100, down = 1 - thresholdPercent / 100;
        var kind = ratio is not { Lower: { } lo, Upper: { } hi } ? VerdictKind.TooFewSeeds
            : lo > up ? VerdictKind.Slower
            : hi < down ? VerdictKind.Faster
            : lo >= down && hi <= up ? VerdictKind.Equivalent
            : VerdictKind.Inconclusive;
        return new Verdict(candidate, baseline, ratio, thresholdPercent, kind);
    }

    /// <summary>The verdict in a few words: "slower by more than 5 %".</summary>
    public string Short => Describe(Kind, ThresholdPercent);

    public static string Describe(VerdictKind kind, double thresholdPercent)
    {
        string x = thresholdPercent.ToString("0.##", CultureInfo.InvariantCulture);
        return kind switch
        {
            VerdictKind.Slower => $"slower by more than {x} %",
            VerdictKind.Faster => $"faster by more than {x} %",
            VerdictKind.Equivalent => $"equivalent within ±{x} %",
            VerdictKind.TooFewSeeds => "too few seeds",
            _ => $"inconclusive at ±{x} %",
        };
    }

    /// <summary>One sentence, e.g. "rvic is slower than gicv3 by more than 5 %: time ratio 1.082, 95 % interval
    /// 1.071–1.094 (10 paired seeds; resolves ±1.2 %)".</summary>
    public string Text
    {
        get
        {
            var ci = CultureInfo.InvariantCulture;
            string r = Ratio.Ratio.ToString("F3", ci), seeds = Plural.Of(Ratio.Pairs, "paired seed");
            string interval = Ratio is { Lower: { } lo, Upper: { } hi }
                ? $"95 % interval {lo.ToString("F3", ci)}–{hi.ToString("F3", ci)} ({seeds}; resolves ±{Ratio.ResolutionPercent!.Value.ToString("0.0#", ci)} %)"
                : "";
            return Kind switch
            {
                VerdictKind.Slower => $"{Candidate} is slower than {Baseline} by more than {X} %: time ratio {r}, {interval}",
                VerdictKind.Faster => $"{Candidate} is faster than {Baseline} by more than {X} %: time ratio {r}, {interval}",
                VerdictKind.Equivalent => $"{Candidate} and {Baseline} are equivalent within ±{X} %: time ratio {r}, {interval}",
                VerdictKind.TooFewSeeds => $"{Candidate} against {Baseline}: no verdict with {seeds}: a 95 % interval needs at least {PairedRatio.MinimumPairs} (time ratio {r})",
                _ => $"{Candidate} against {Baseline}: inconclusive at ±{X} %, the interval reaches across the band's edge: time ratio {r}, {interval}",
            };
        }
    }

    private string X => ThresholdPercent.ToString("0.##", CultureInfo.InvariantCulture);
}
