using IrqBench.Harness.Output;
using IrqBench.Harness.Stats;

namespace IrqBench.Harness.Report;

/// <summary>Everything a report is drawn from: the rows of runs.csv, microbench.csv and summary.csv, and the verdicts
/// computed from the runs. Built the same way after a compare and from files (<c>irqbench report</c>).</summary>
public sealed class ComparisonData
{
    public ComparisonData(IReadOnlyList<RunRow> runs, IReadOnlyList<MicrobenchRow> microbench, IReadOnlyList<string> notes)
    {
        Runs = runs;
        Microbench = microbench;
        Notes = notes;
        Summary = Summarizer.Summarize(runs, microbench);
        Verdicts = Stats.Verdicts.ForRuns(runs);
        Controllers = runs.Select(r => r.Controller).Concat(microbench.Select(m => m.Controller)).Distinct().Order(ControllerOrder.Instance).ToList();
        Cases = BuildCases(runs);
        // Indexes: plots and tables look values up per bar, and a large sweep has many thousands of rows.
        summaryIndex = Summary.ToDictionary(s => (s.Controller, s.Workload, s.Profile, s.Params, s.Vcpus, s.Metric));
        runIndex = runs.GroupBy(r => (r.Controller, r.Workload, r.Profile, r.Params, r.Vcpus)).ToDictionary(g => g.Key, g => g.ToList());
    }

    private readonly Dictionary<(string, string, string, string, int, string), SummaryRow> summaryIndex;
    private readonly Dictionary<(string, string, string, string, int), List<RunRow>> runIndex;

    public IReadOnlyList<RunRow> Runs { get; }
    public IReadOnlyList<MicrobenchRow> Microbench { get; }
    public IReadOnlyList<string> Notes { get; }
    public IReadOnlyList<SummaryRow> Summary { get; }
    public IReadOnlyList<ScenarioVerdict> Verdicts { get; }
    public IReadOnlyList<string> Controllers { get; }
    public IReadOnlyList<WorkloadCase> Cases { get; }

    public IEnumerable<RunRow> RunsOf(WorkloadCase c) => Runs.Where(r => r.Workload == c.Workload && r.Profile == c.Profile && r.Params == c.Params);

    /// <summary>The controllers that ran this case, in report order.</summary>
    public IReadOnlyList<string> ControllersOf(WorkloadCase c) => Controllers.Where(ctl => RunsOf(c).Any(r => r.Controller == ctl)).ToList();

    public IReadOnlyList<int> VcpusOf(WorkloadCase c) => RunsOf(c).Select(r => r.Vcpus).Distinct().Order().ToList();

    public SummaryRow? Get(string controller, WorkloadCase c, int vcpus, string metric) =>
        summaryIndex.GetValueOrDefault((controller, c.Workload, c.Profile, c.Params, vcpus, metric));

    /// <summary>The median over seeds of any per-run number (for per-kind exits per unit, which summary.csv does not
    /// hold as such).</summary>
    public double? MedianOf(string controller, WorkloadCase c, int vcpus, Func<RunRow, double> read)
    {
        if (!runIndex.TryGetValue((controller, c.Workload, c.Profile, c.Params, vcpus), out var runs)) return null;
        return MedianEstimate.Of(runs.Select(read).ToList()).Median;
    }

    private static List<WorkloadCase> BuildCases(IReadOnlyList<RunRow> runs)
    {
        var keys = runs.Select(r => (r.Workload, r.Profile, r.Params)).Distinct()
            .OrderBy(k => k.Workload, StringComparer.Ordinal).ThenBy(k => k.Profile, StringComparer.Ordinal).ThenBy(k => k.Params, StringComparer.Ordinal).ToList();
        bool manyProfiles = keys.Select(k => k.Profile).Distinct().Count() > 1;
        return keys.Select(k =>
        {
            bool manyParams = keys.Count(o => o.Workload == k.Workload && o.Profile == k.Profile) > 1;
            string label = k.Workload + (manyProfiles ? $" on {k.Profile}" : "") + (manyParams ? $" ({k.Params})" : "");
            string unit = runs.First(r => r.Workload == k.Workload && r.Profile == k.Profile && r.Params == k.Params).WorkUnit;
            return new WorkloadCase(k.Workload, k.Profile, k.Params, unit, label);
        }).ToList();
    }
}
