using System.CommandLine;
using System.Globalization;
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
        var cmd = new Command("run", "run one scenario and write runs.csv, counters.csv, exits.csv and latency.csv") { controller, workload, profile, vcpus, seed, set, outDir, force };
        cmd.SetAction(pr =>
        {
            string dir = pr.GetValue(outDir)!;
            var run = Prepare(pr.GetValue(controller)!, pr.GetValue(workload)!, pr.GetValue(profile)!, pr.GetValue(vcpus), pr.GetValue(seed)!, pr.GetValue(set));
            using var output = OutputFolder.Begin(dir, ResultKind.Run, force: pr.GetValue(force), forceHint: "--force to replace them");
            var o = run();
            CsvFiles.WriteRuns(output[ResultsFolder.Runs], [o.Row]);
            CsvFiles.WriteCounters(output[ResultsFolder.Counters], o.Counters);
            CsvFiles.WriteExits(output[ResultsFolder.Exits], o.Exits);
            CsvFiles.WriteLatency(output[ResultsFolder.Latency], o.Latency);
            output.Commit();
            var r = o.Row;
            var ci = CultureInfo.InvariantCulture;
            Console.WriteLine($"{r.Controller} {r.Workload} on {r.Profile}, {Plural.Of(r.Vcpus, "vCPU")}, seed {r.Seed}: " +
                              $"{Plural.Of((long)r.WorkUnits, r.WorkUnit)} in {(r.SimNs / 1e6).ToString("F3", ci)} ms simulated ({r.ThroughputPerS.ToString("F1", ci)}/s), " +
                              $"{Plural.Of(r.ExitsTotal, "exit")}, {Plural.Of(r.IrqsDelivered, "interrupt")}, p99 latency {r.IrqLatencyP99Ns.ToString("F0", ci)} ns");
            Console.WriteLine($"wrote {dir}/: {ResultsFolder.Runs}, {ResultsFolder.Counters}, {ResultsFolder.Exits}, {ResultsFolder.Latency}");
            return 0;
        });
        return cmd;
    }

    /// <summary>Validates everything, then runs. Nothing is written here, so bad input leaves no partial output.</summary>
    public static RunOutcome Execute(string controllerName, string workloadName, string profileName, int? vcpuCount, string seedText,
        IEnumerable<string>? sets) => Prepare(controllerName, workloadName, profileName, vcpuCount, seedText, sets)();

    /// <summary>Validates everything and returns the run, not yet started.</summary>
    public static Func<RunOutcome> Prepare(string controllerName, string workloadName, string profileName, int? vcpuCount, string seedText,
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

        return () =>
        {
            RunResult r;
            try { r = w.Run(new RunSpec(kit, profile, n, seed, p)); }
            catch (ParameterException e) { throw new InputException(e.Message); }
            var row = RunRow.From(kit.Name, w.Name, profile, n, seed, p.ToCanonicalString(), r);
            return new RunOutcome(row, CounterRow.From(row.RunId, r.Metrics).ToList(), ExitRow.From(row.RunId, r.Metrics).ToList(),
                LatencyRow.From(row.RunId, r.Metrics, profile).ToList());
        };
    }
}
