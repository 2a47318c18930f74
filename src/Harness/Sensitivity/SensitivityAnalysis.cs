using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Workloads;
using IrqBench.Workloads.MicroBench;
using IrqBench.Workloads.Parameters;

namespace IrqBench.Harness.Sensitivity;

/// <summary>
/// <c>irqbench sensitivity</c>: each primitive of a profile, one at a time, set to the low and the high end of its
/// range (<see cref="PrimitiveRange"/>), and what that moves: every micro-benchmark of the two designs compared, and
/// the candidate/baseline ratio of time per work unit of one scenario — the geometric mean over seeds of the per-seed
/// paired ratios (both designs run each seed). Ranked by how far the primitive moves the ratio.
/// </summary>
/// <remarks>A multi-vCPU scenario is chaotic: any change of any cost reorders some wake-ups, and one seed's ratio then
/// moves by its seed-to-seed spread whatever the primitive. <see cref="Measures.NoiseHalfWidth"/> (two standard errors
/// of the log ratio over the seeds) says how large a swing has to be before it means something.</remarks>
public sealed class SensitivityAnalysis(CostProfile profile, ControllerKit candidate, ControllerKit baseline,
    IWorkload workload, int vcpus, IReadOnlyList<ulong> seeds, IReadOnlyList<KeyValuePair<string, string>> sets, int microIterations)
{
    /// <summary>The measured figures of one profile variant: the ratio, its noise (as a ratio: the ratio times
    /// exp(±2 SE) spans it), and the micro-benchmarks.</summary>
    public sealed record Measures(double Ratio, double NoiseHalfWidth, IReadOnlyDictionary<string, double> Micro);

    /// <summary>One primitive: its range and the measures at both ends.</summary>
    public sealed record Row(PrimitiveRange Range, Measures AtLow, Measures AtHigh)
    {
        public double RatioSwing(Measures baseline) => Math.Max(Math.Abs(AtLow.Ratio - baseline.Ratio), Math.Abs(AtHigh.Ratio - baseline.Ratio));
    }

    public string ScenarioLabel => $"{workload.Name} {vcpus} vCPUs{(sets.Count == 0 ? "" : " " + string.Join(",", sets.Select(kv => $"{kv.Key}={kv.Value}")))}, seeds {string.Join(",", seeds)}";
    public string RatioLabel => $"{candidate.Name}/{baseline.Name}";

    public Measures Measure(CostProfile p)
    {
        var parameters = WorkloadParameters.Create(workload.Name, workload.Parameters, sets);
        double PerUnit(ControllerKit kit, ulong seed)
        {
            var r = workload.Run(new RunSpec(kit, p, vcpus, seed, parameters));
            return r.SimCycles / r.WorkUnits;
        }
        var logs = seeds.Select(s => Math.Log(PerUnit(candidate, s) / PerUnit(baseline, s))).ToArray();
        double mean = logs.Average();
        double se = logs.Length > 1 ? Math.Sqrt(logs.Sum(x => (x - mean) * (x - mean)) / (logs.Length - 1) / logs.Length) : double.NaN;
        var micro = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var kit in new[] { baseline, candidate })
            foreach (var t in MicroBenchRunner.TestsFor(kit).Where(t => t.SkipReason is null))
                micro[$"{kit.Name} {t.Name}"] = MicroBenchRunner.Run(kit, p, t, seeds[0], Math.Min(t.Iterations, microIterations)).AvgNs;
        return new Measures(Math.Exp(mean), Math.Exp(mean) * (Math.Exp(2 * se) - 1), micro);
    }

    /// <summary>Every primitive's row, on <paramref name="parallelism"/> cores; deterministic whatever the
    /// parallelism. Primitives whose range is a single value are left out.</summary>
    public (Measures Baseline, IReadOnlyList<Row> Rows) Run(double fraction, int parallelism, Action<string>? progress = null)
    {
        var ranges = profile.All.Select(p => PrimitiveRange.For(p, fraction)).Where(r => r.Low != r.High).ToList();
        var rows = new Row[ranges.Count];
        Measures? basis = null;
        var work = Enumerable.Range(-1, ranges.Count + 1).ToList();
        Parallel.ForEach(work, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, i =>
        {
            if (i < 0) { basis = Measure(profile); return; }
            var r = ranges[i];
            rows[i] = new Row(r, Measure(profile.With(r.Section, r.Name, r.Low)), Measure(profile.With(r.Section, r.Name, r.High)));
            progress?.Invoke(r.Key);
        });
        var b = basis!;
        return (b, rows.OrderByDescending(r => r.RatioSwing(b)).ThenBy(r => r.Range.Key, StringComparer.Ordinal).ToList());
    }
}
