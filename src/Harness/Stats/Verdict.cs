using System.Globalization;
using Perfolizer.Mathematics.SignificanceTesting.Base;
using Perfolizer.Mathematics.SignificanceTesting.MannWhitney;
using Perfolizer.Metrology;
using Pragmastat;

namespace IrqBench.Harness.Stats;

public enum VerdictKind { Slower, Faster, Equivalent, Inconclusive, TooFewSeeds }

/// <summary>
/// "Is <c>candidate</c> slower than <c>baseline</c> by more than X %?", answered by one-sided Mann-Whitney tests on the
/// time per work unit over seeds (Perfolizer, libs.md §2). Slower: candidate &gt; baseline·(1+X) at level alpha;
/// faster: candidate &lt; baseline·(1−X); equivalent: both candidate &lt; baseline·(1+X) and candidate &gt;
/// baseline·(1−X) (two one-sided tests); otherwise inconclusive. The baseline sample is scaled explicitly rather than
/// through a Perfolizer Threshold so that the hypothesis tested is visible here.
/// With n and m seeds the smallest one-sided p is 1/C(n+m, n) (n = m = 3: 0.05), so a verdict that could never reach
/// alpha says so instead of pretending the two are indistinguishable.
/// </summary>
public sealed record Verdict(string Candidate, string Baseline, int N, int M, double Ratio, double ThresholdPercent, double Alpha,
    double PSlower, double PFaster, double PEquivalent, VerdictKind Kind)
{
    public static Verdict Compare(string candidate, IReadOnlyList<double> x, string baseline, IReadOnlyList<double> y,
        double thresholdPercent, double alpha)
    {
        double t = thresholdPercent / 100;
        double ratio = Toolkit.Ratio(new Sample(x.ToArray()), new Sample(y.ToArray())).NominalValue;
        double pSlower = P(x, y, 1 + t, AlternativeHypothesis.Greater);
        double pFaster = P(x, y, 1 - t, AlternativeHypothesis.Less);
        double pEquivalent = Math.Max(P(x, y, 1 + t, AlternativeHypothesis.Less), P(x, y, 1 - t, AlternativeHypothesis.Greater));
        var kind = MinimumP(x.Count, y.Count) >= alpha ? VerdictKind.TooFewSeeds
            : pSlower < alpha ? VerdictKind.Slower
            : pFaster < alpha ? VerdictKind.Faster
            : pEquivalent < alpha ? VerdictKind.Equivalent
            : VerdictKind.Inconclusive;
        return new(candidate, baseline, x.Count, y.Count, ratio, thresholdPercent, alpha, pSlower, pFaster, pEquivalent, kind);
    }

    /// <summary>The smallest p a one-sided exact Mann-Whitney test can give for sample sizes n and m: 1/C(n+m, n).</summary>
    public static double MinimumP(int n, int m)
    {
        double c = 1;
        for (int i = 1; i <= n; i++) c = c * (m + i) / i;
        return 1 / c;
    }

    private static double P(IReadOnlyList<double> x, IReadOnlyList<double> y, double scale, AlternativeHypothesis alt) =>
        MannWhitneyTest.Instance.Perform(new Sample(x.ToArray()), new Sample(y.Select(v => v * scale).ToArray()), alt, Threshold.Zero).PValue;

    /// <summary>One sentence, e.g. "rvic is slower than gicv3 by more than 5 % (time ratio 1.12, p = 0.004, 5 vs 5 seeds)".</summary>
    public string Text
    {
        get
        {
            var ci = CultureInfo.InvariantCulture;
            string x = ThresholdPercent.ToString("0.##", ci), r = Ratio.ToString("F3", ci), n = $"{N} vs {M} seeds";
            return Kind switch
            {
                VerdictKind.Slower => $"{Candidate} is slower than {Baseline} by more than {x} % (time ratio {r}, p = {PSlower.ToString("G2", ci)}, {n})",
                VerdictKind.Faster => $"{Candidate} is faster than {Baseline} by more than {x} % (time ratio {r}, p = {PFaster.ToString("G2", ci)}, {n})",
                VerdictKind.Equivalent => $"{Candidate} and {Baseline} are indistinguishable within ±{x} % (time ratio {r}, p = {PEquivalent.ToString("G2", ci)}, {n})",
                VerdictKind.TooFewSeeds => $"{Candidate} against {Baseline}: no verdict, with {n} the smallest achievable p is {MinimumP(N, M).ToString("G2", ci)} ≥ {Alpha.ToString("G2", ci)} (time ratio {r})",
                _ => $"{Candidate} against {Baseline}: inconclusive at ±{x} %, the seeds overlap too much to call it (time ratio {r}, {n})",
            };
        }
    }
}
