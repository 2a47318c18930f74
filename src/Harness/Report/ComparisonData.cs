using IrqBench.Harness.Output;
using IrqBench.Harness.Stats;

namespace IrqBench.Harness.Report;

/// <summary>Everything a report is drawn from: the rows of runs.csv, exits.csv, latency.csv and microbench.csv, the
/// comparison's settings, and what is computed from them (summary.csv's rows, the verdicts). Built the same way after
/// a compare and from files (<c>irqbench report</c>).</summary>
public sealed class ComparisonData
{
    public ComparisonData(IReadOnlyList<RunRow> runs, IReadOnlyList<MicrobenchRow> microbench, IReadOnlyList<string> notes,
        IReadOnlyList<ExitRow> exits, IReadOnlyList<LatencyRow> latency, ComparisonSettings settings)
    {
        Runs = runs;
        Microbench = microbench;
        Notes = notes;
        Settings = settings;
        ExitRows = exits;
        LatencyRows = latency;
        Summary = Summarizer.Summarize(runs, microbench);
        Verdicts = Stats.Verdicts.ForRuns(runs, settings.Baseline, settings.ThresholdPercent);
        Controllers = runs.Select(r => r.Controller).Concat(microbench.Select(m => m.Controller)).Distinct().Order(ControllerOrder.Instance).ToList();
        Profiles = ProfileInfo.Of(runs, microbench);
        Cases = BuildCases(runs, Profiles);
        // Indexes: tables and plots look values up per cell, and a large sweep has many thousands of rows.
        runIndex = runs.GroupBy(r => (r.Controller, ScenarioKey.Of(r))).ToDictionary(g => g.Key, g => g.OrderBy(r => r.Seed).ToList());
        exitIndex = exits.GroupBy(e => e.Run).ToDictionary(g => g.Key, g => g.ToList());
        latencyIndex = latency.GroupBy(l => l.Run).ToDictionary(g => g.Key, g => g.ToList());
        HasExitTimes = exits.Count > 0;
        vcpuIndex = Cases.ToDictionary(c => c, c => runs.Where(c.Has).Select(r => r.Vcpus).Distinct().Order().ToList());
    }

    private readonly Dictionary<WorkloadCase, List<int>> vcpuIndex;

    private readonly Dictionary<(string, ScenarioKey), List<RunRow>> runIndex;
    private readonly Dictionary<string, List<ExitRow>> exitIndex;
    private readonly Dictionary<string, List<LatencyRow>> latencyIndex;

    public IReadOnlyList<RunRow> Runs { get; }
    public IReadOnlyList<MicrobenchRow> Microbench { get; }
    public IReadOnlyList<string> Notes { get; }
    public IReadOnlyList<ExitRow> ExitRows { get; }
    public IReadOnlyList<LatencyRow> LatencyRows { get; }
    public ComparisonSettings Settings { get; }
    public IReadOnlyList<SummaryRow> Summary { get; }
    public IReadOnlyList<ScenarioVerdict> Verdicts { get; }
    public IReadOnlyList<string> Controllers { get; }
    public IReadOnlyList<ProfileInfo> Profiles { get; }
    public IReadOnlyList<WorkloadCase> Cases { get; }

    /// <summary>latency_stages.csv: per run, kind and stage, where the latency goes (empty in folders without it).</summary>
    public IReadOnlyList<LatencyStageRow> StageRows
    {
        get => stageRows;
        init
        {
            stageRows = value;
            stageIndex = value.GroupBy(s => s.Run).ToDictionary(g => g.Key, g => g.ToList());
        }
    }

    private readonly IReadOnlyList<LatencyStageRow> stageRows = [];
    private readonly Dictionary<string, List<LatencyStageRow>> stageIndex = [];

    public IReadOnlyList<LatencyStageRow> StagesOf(RunRow r) => stageIndex.GetValueOrDefault(r.RunId) ?? [];

    /// <summary>The trust comparison of the designs that describe their host's reach (trust.csv and
    /// trust_surface.csv); null in folders without it.</summary>
    public Trust.TrustResults? Trust { get; init; }

    /// <summary>Whether exits.csv was there (folders written before it have exit counts only).</summary>
    public bool HasExitTimes { get; }

    public string Baseline => Settings.Baseline;

    public IEnumerable<WorkloadCase> CasesOn(ProfileInfo p) => Cases.Where(c => c.Profile == p);

    public static ScenarioKey Key(WorkloadCase c, int vcpus) => new(c.Workload, c.Profile.Name, c.Profile.Sha256, vcpus, c.Params);

    /// <summary>The runs of one controller in one scenario, by seed.</summary>
    public IReadOnlyList<RunRow> RunsOf(string controller, WorkloadCase c, int vcpus) =>
        runIndex.GetValueOrDefault((controller, Key(c, vcpus))) ?? [];

    /// <summary>The controllers that ran this case, in report order.</summary>
    public IReadOnlyList<string> ControllersOf(WorkloadCase c) => Controllers.Where(ctl => VcpusOf(c).Any(v => RunsOf(ctl, c, v).Count > 0)).ToList();

    public IReadOnlyList<int> VcpusOf(WorkloadCase c) => vcpuIndex.GetValueOrDefault(c) ?? [];

    public IReadOnlyList<ExitRow> ExitsOf(RunRow r) => exitIndex.GetValueOrDefault(r.RunId) ?? [];

    public IReadOnlyList<LatencyRow> LatencyOf(RunRow r) => latencyIndex.GetValueOrDefault(r.RunId) ?? [];

    /// <summary>The paired ratio of any per-run number, candidate against baseline, in one scenario.</summary>
    public PairedRatio? Ratio(string candidate, string baseline, WorkloadCase c, int vcpus, Func<RunRow, double> read) =>
        SeedPairing.Ratio(RunsOf(candidate, c, vcpus), RunsOf(baseline, c, vcpus), read);

    public WorkloadCase CaseOf(ScenarioKey k) =>
        Cases.First(c => c.Workload == k.Workload && c.Profile.Name == k.Profile && c.Profile.Sha256 == k.ProfileSha256 && c.Params == k.Params);

    private static List<WorkloadCase> BuildCases(IReadOnlyList<RunRow> runs, IReadOnlyList<ProfileInfo> profiles)
    {
        var keys = profiles.SelectMany(p => runs.Where(p.Is).Select(r => (r.Workload, Profile: p, r.Params)).Distinct()
            .OrderBy(k => k.Workload, StringComparer.Ordinal).ThenBy(k => k.Params, StringComparer.Ordinal)).ToList();
        return keys.Select(k =>
        {
            bool manyParams = keys.Count(o => o.Workload == k.Workload && o.Profile == k.Profile) > 1;
            string label = $"{k.Workload} on {k.Profile.Label}" + (manyParams ? $" ({k.Params})" : "");
            string unit = runs.First(r => r.Workload == k.Workload && k.Profile.Is(r) && r.Params == k.Params).WorkUnit;
            return new WorkloadCase(k.Workload, k.Profile, k.Params, unit, label);
        }).ToList();
    }
}
