using System.CommandLine;
using System.Globalization;
using System.CommandLine.Parsing;
using IrqBench.Harness.Inspect;
using IrqBench.Harness.Output;
using IrqBench.Harness.Report;
using IrqBench.Harness.Suite;
using IrqBench.Workloads;
using IrqBench.Workloads.Parameters;

namespace IrqBench.Harness.Cli;

/// <summary><c>irqbench run</c>: one controller × workload × profile × vCPU count × seed; writes runs.csv,
/// counters.csv, exits.csv and latency.csv into its own folder (results/run/), never over a comparison's results
/// unless told to.</summary>
internal static class RunCommand
{
    public static readonly string DefaultOut = Path.Combine("results", "run");

    public static Command Create()
    {
        var controller = CommonOptions.Controller();
        var workload = CommonOptions.Workload();
        var profile = CommonOptions.Profile();
        var vcpus = new Option<int?>("--vcpus") { Description = "vCPU count (default: the workload's, else 4)", HelpName = "N" };
        var seed = CommonOptions.Seed();
        var set = new Option<List<string>>("--set") { Description = "workload parameter (repeatable; see 'irqbench workloads')", HelpName = "KEY=VALUE" };
        var outDir = CommonOptions.Out(DefaultOut);
        var force = new Option<bool>("--force") { Description = "write into a folder that holds a comparison's results (replacing its runs.csv)" };
        var costs = CommonOptions.Costs();
        var trace = new Option<string?>("--trace") { Description = "write the run's timeline as Chrome trace-event JSON (ui.perfetto.dev, chrome://tracing opens it)", HelpName = "FILE" };
        var window = new Option<string?>("--trace-window") { Description = "trace only simulated time START to END (µs, e.g. 1000:1500)", HelpName = "START:END" };
        var vcpu = new Option<int?>("--vcpu") { Description = "print the exit report of this vCPU only (default: the whole VM)", HelpName = "N" };
        var cmd = new Command("run", "run one scenario and write runs.csv, counters.csv, exits.csv, latency.csv, latency_stages.csv, exit_report.txt and hgrm/")
            { controller, workload, profile, vcpus, seed, set, outDir, force, costs, trace, window, vcpu };
        cmd.SetAction(pr =>
        {
            using var what = CostOverrides.Use(CostOverrides.Parse(pr.GetValue(costs)));
            string dir = pr.GetValue(outDir)!;
            if (!pr.GetValue(force) && ResultsFolder.HoldsComparison(dir))
                throw new InputException($"--out {dir}: holds a comparison's results ({ResultsFolder.Summary}, {ResultsFolder.ReportFile}); " +
                                         $"run writes to {DefaultOut} by default; give another --out, or --force to replace them");
            string? tracePath = pr.GetValue(trace);
            var (fromUs, toUs) = TraceWindow.Parse(pr.GetValue(window), tracePath);
            if (tracePath is not null) TraceWindow.CheckWritable(tracePath);
            int? onlyVcpu = pr.GetValue(vcpu);
            if (onlyVcpu is < 0) throw new InputException($"--vcpu {onlyVcpu}: a vCPU index is 0 or more");

            string report = "", stages = "";
            var hgrm = new List<(string File, string Text)>();
            void Examine(Machine.Metrics.MetricSet m, Machine.Costs.CostProfile p)
            {
                if (onlyVcpu is { } v && v >= m.ExitsByVcpu.Count)
                    throw new InputException($"--vcpu {v}: the run has vCPUs 0 to {m.ExitsByVcpu.Count - 1}");
                report = ExitReport.Text(ExitReport.Build(m, p, onlyVcpu), onlyVcpu is { } one ? $"vCPU {one}" : "all vCPUs");
                hgrm.AddRange(LatencyStageReport.Hgrm(m, p));
            }
            RunOutcome o;
            if (tracePath is null) o = Run(pr, controller, workload, profile, vcpus, seed, set, null, Examine);
            else
            {
                o = null!;
                AtomicFile.Write(tracePath, tmp =>
                {
                    using var file = File.Create(tmp);
                    Machine.Tracing.ChromeTraceWriter? writer = null;
                    try
                    {
                        o = Run(pr, controller, workload, profile, vcpus, seed, set,
                            p => writer = new Machine.Tracing.ChromeTraceWriter(file, p.FrequencyHz, p.NsToCycles(fromUs * 1000), toUs is { } e ? p.NsToCycles(e * 1000) : long.MaxValue),
                            Examine);
                    }
                    finally { writer?.Dispose(); }
                });
            }
            stages = LatencyStageReport.Text(o.Stages);
            CsvFiles.WriteRuns(Path.Combine(dir, ResultsFolder.Runs), [o.Row]);
            CsvFiles.WriteCounters(Path.Combine(dir, ResultsFolder.Counters), o.Counters);
            CsvFiles.WriteExits(Path.Combine(dir, ResultsFolder.Exits), o.Exits);
            CsvFiles.WriteLatency(Path.Combine(dir, ResultsFolder.Latency), o.Latency);
            CsvFiles.WriteLatencyStages(Path.Combine(dir, ResultsFolder.LatencyStages), o.Stages);
            AtomicFile.WriteText(Path.Combine(dir, ExitReportFile), report);
            string hgrmDir = Path.Combine(dir, HgrmDir);
            if (Directory.Exists(hgrmDir)) foreach (var f in Directory.GetFiles(hgrmDir, "*.hgrm")) File.Delete(f); // an earlier run's kinds
            foreach (var (file, text) in hgrm) AtomicFile.WriteText(Path.Combine(hgrmDir, file), text);
            var r = o.Row;
            var ci = CultureInfo.InvariantCulture;
            Console.WriteLine($"{r.Controller} {r.Workload} on {r.Profile}, {Plural.Of(r.Vcpus, "vCPU")}, seed {r.Seed}: " +
                              $"{Plural.Of((long)r.WorkUnits, r.WorkUnit)} in {(r.SimNs / 1e6).ToString("F3", ci)} ms simulated ({r.ThroughputPerS.ToString("F1", ci)}/s), " +
                              $"{Plural.Of(r.ExitsTotal, "exit")}, {Plural.Of(r.IrqsDelivered, "interrupt")}, p99 latency {r.IrqLatencyP99Ns.ToString("F0", ci)} ns");
            Console.WriteLine();
            Console.Write(report);
            Console.WriteLine();
            Console.Write(stages);
            Console.WriteLine();
            Console.WriteLine($"wrote {dir}/: {ResultsFolder.Runs}, {ResultsFolder.Counters}, {ResultsFolder.Exits}, {ResultsFolder.Latency}, " +
                              $"{ResultsFolder.LatencyStages}, {ExitReportFile}, {Plural.Of(hgrm.Count, "histogram")} in {HgrmDir}/" +
                              (tracePath is null ? "" : $"; trace {tracePath}"));
            return 0;
        });
        return cmd;
    }

    public const string ExitReportFile = "exit_report.txt", HgrmDir = "hgrm";

    private static RunOutcome Run(ParseResult pr, Option<string> controller, Option<string> workload, Option<string> profile, Option<int?> vcpus,
        Option<string> seed, Option<List<string>> set, Func<Machine.Costs.CostProfile, Machine.Tracing.ITraceSink>? trace,
        Action<Machine.Metrics.MetricSet, Machine.Costs.CostProfile> inspect) =>
        Execute(pr.GetValue(controller)!, pr.GetValue(workload)!, pr.GetValue(profile)!, pr.GetValue(vcpus), pr.GetValue(seed)!, pr.GetValue(set), trace, inspect);

    /// <summary>Validates everything, then runs. Nothing is written here, so bad input leaves no partial output.</summary>
    /// <param name="trace">given the loaded profile, where the run's timeline goes (null: not traced)</param>
    /// <param name="inspect">given the run's metrics and profile once it is done, for reports drawn from more than the
    /// rows (the exit report per vCPU, the .hgrm files)</param>
    public static RunOutcome Execute(string controllerName, string workloadName, string profileName, int? vcpuCount, string seedText,
        IEnumerable<string>? sets, Func<Machine.Costs.CostProfile, Machine.Tracing.ITraceSink>? trace = null, Action<Machine.Metrics.MetricSet, Machine.Costs.CostProfile>? inspect = null)
    {
        var kit = Registry.Controller(controllerName);
        var w = Registry.Workload(workloadName);
        var profile = ProfileStore.Load(profileName);
        ulong seed = CommonOptions.ParseSeed(seedText);
        int n = vcpuCount ?? w.FixedVcpus ?? 4;
        if (w.FixedVcpus is { } fixedN && n != fixedN)
            throw new InputException($"--vcpus {n}: workload {w.Name} runs on exactly {Plural.Of(fixedN, "vCPU")}");
        if (n < 1 || n > 512) throw new InputException($"--vcpus {n}: out of range [1, 512]");
        WorkloadParameters p;
        try { p = WorkloadParameters.Create(w.Name, w.Parameters, CommonOptions.ParseSets(sets)); }
        catch (ParameterException e) { throw new InputException(e.Message); }

        RunResult r;
        try { r = w.Run(new RunSpec(kit, profile, n, seed, p) { Trace = trace?.Invoke(profile) }); }
        catch (ParameterException e) { throw new InputException(e.Message); }
        var row = RunRow.From(kit.Name, w.Name, profile, n, seed, p.ToCanonicalString(), r);
        inspect?.Invoke(r.Metrics, profile);
        return new RunOutcome(row, CounterRow.From(row.RunId, r.Metrics).ToList(), ExitRow.From(row.RunId, r.Metrics).ToList(),
            LatencyRow.From(row.RunId, r.Metrics, profile).ToList(), LatencyStageRow.From(row.RunId, r.Metrics, profile).ToList());
    }
}
