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
        var force = new Option<bool>("--force") { Description = "write into a folder that holds a comparison's results or a sweep's runs (replacing them)" };
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
            string? tracePath = pr.GetValue(trace);
            var (fromUs, toUs) = TraceWindow.Parse(pr.GetValue(window), tracePath);
            if (tracePath is not null) TraceWindow.CheckWritable(tracePath);
            var run = Prepare(pr.GetValue(controller)!, pr.GetValue(workload)!, pr.GetValue(profile)!, pr.GetValue(vcpus), pr.GetValue(seed)!, pr.GetValue(set));
            int? onlyVcpu = pr.GetValue(vcpu);
            if (onlyVcpu is { } only && (only < 0 || only >= run.Vcpus))
                throw new InputException($"--vcpu {only}: the run has vCPUs 0 to {run.Vcpus - 1}");
            using var output = OutputFolder.Begin(dir, ResultKind.Run, force: pr.GetValue(force), forceHint: "--force to replace them");

            string report = "";
            var hgrm = new List<(string File, string Text)>();
            void Examine(Machine.Metrics.MetricSet m)
            {
                report = ExitReport.Text(ExitReport.Build(m, run.Profile, onlyVcpu), onlyVcpu is { } one ? $"vCPU {one}" : "all vCPUs");
                hgrm.AddRange(LatencyStageReport.Hgrm(m, run.Profile));
            }
            RunOutcome o = null!;
            if (tracePath is null) o = run.Run(null, Examine);
            else
                AtomicFile.Write(tracePath, tmp =>
                {
                    using var file = File.Create(tmp);
                    var p = run.Profile;
                    using var writer = new Machine.Tracing.ChromeTraceWriter(file, p.FrequencyHz, p.NsToCycles(fromUs * 1000), toUs is { } e ? p.NsToCycles(e * 1000) : long.MaxValue);
                    o = run.Run(writer, Examine);
                });
            CsvFiles.WriteRuns(output[ResultsFolder.Runs], [o.Row]);
            CsvFiles.WriteCounters(output[ResultsFolder.Counters], o.Counters);
            CsvFiles.WriteExits(output[ResultsFolder.Exits], o.Exits);
            CsvFiles.WriteLatency(output[ResultsFolder.Latency], o.Latency);
            CsvFiles.WriteLatencyStages(output[ResultsFolder.LatencyStages], o.Stages);
            AtomicFile.WriteText(output[ExitReportFile], report);
            foreach (var (file, text) in hgrm) AtomicFile.WriteText(output[$"{HgrmDir}/{file}"], text);
            output.Commit();
            string stages = LatencyStageReport.Text(o.Stages);
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

    /// <summary>Validates everything, then runs. Nothing is written here, so bad input leaves no partial output.</summary>
    public static RunOutcome Execute(string controllerName, string workloadName, string profileName, int? vcpuCount, string seedText,
        IEnumerable<string>? sets) => Prepare(controllerName, workloadName, profileName, vcpuCount, seedText, sets).Run();

    /// <summary>Validates everything and returns the run, not yet started.</summary>
    public static PreparedRun Prepare(string controllerName, string workloadName, string profileName, int? vcpuCount, string seedText,
        IEnumerable<string>? sets)
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
        if (ScenarioCheck.Problem(kit, w, p, n) is { } problem) throw new InputException(problem);

        return new PreparedRun(profile, n, (trace, inspect) =>
        {
            RunResult r;
            try { r = w.Run(new RunSpec(kit, profile, n, seed, p) { Trace = trace }); }
            catch (ParameterException e) { throw new InputException(e.Message); }
            var row = RunRow.From(kit.Name, w.Name, profile, n, seed, p.ToCanonicalString(), r);
            inspect?.Invoke(r.Metrics);
            return new RunOutcome(row, CounterRow.From(row.RunId, r.Metrics).ToList(), ExitRow.From(row.RunId, r.Metrics).ToList(),
                LatencyRow.From(row.RunId, r.Metrics, profile).ToList(), LatencyStageRow.From(row.RunId, r.Metrics, profile).ToList());
        });
    }
}

/// <summary>A run validated and ready: its profile and vCPU count, and the run itself — given where its timeline goes
/// (null: not traced) and what to look at in its metrics once it is done (the exit report per vCPU, the .hgrm files,
/// drawn from more than the rows).</summary>
public sealed record PreparedRun(Machine.Costs.CostProfile Profile, int Vcpus,
    Func<Machine.Tracing.ITraceSink?, Action<Machine.Metrics.MetricSet>?, RunOutcome> Start)
{
    public RunOutcome Run(Machine.Tracing.ITraceSink? trace = null, Action<Machine.Metrics.MetricSet>? inspect = null) => Start(trace, inspect);
}
