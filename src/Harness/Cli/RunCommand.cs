using System.CommandLine;
using IrqBench.Harness.Output;
using IrqBench.Workloads;
using IrqBench.Workloads.Parameters;

namespace IrqBench.Harness.Cli;

/// <summary><c>irqbench run</c>: one controller × workload × profile × vCPU count × seed; writes runs.csv and
/// counters.csv.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var controller = new Option<string>("--controller") { Description = "controller: " + string.Join(", ", Registry.Controllers.Select(c => c.Name)), Required = true };
        var workload = new Option<string>("--workload") { Description = "workload: " + string.Join(", ", Registry.Workloads.Select(w => w.Name)), Required = true };
        var profile = CommonOptions.Profile();
        var vcpus = new Option<int?>("--vcpus") { Description = "vCPU count (default: the workload's, else 4)" };
        var seed = CommonOptions.Seed();
        var set = new Option<List<string>>("--set") { Description = "workload parameter key=value (repeatable)" };
        var outDir = CommonOptions.Out(Path.Combine("results", "latest"));
        var cmd = new Command("run", "run one scenario and write runs.csv and counters.csv") { controller, workload, profile, vcpus, seed, set, outDir };
        cmd.SetAction(pr =>
        {
            var row = Execute(pr.GetValue(controller)!, pr.GetValue(workload)!, pr.GetValue(profile)!, pr.GetValue(vcpus),
                pr.GetValue(seed)!, pr.GetValue(set), out var counters);
            string dir = pr.GetValue(outDir)!;
            CsvFiles.WriteRuns(Path.Combine(dir, "runs.csv"), [row]);
            CsvFiles.WriteCounters(Path.Combine(dir, "counters.csv"), counters);
            Console.WriteLine($"{row.Controller} {row.Workload} on {row.Profile}, {row.Vcpus} vCPUs, seed {row.Seed}: " +
                              $"{row.WorkUnits} {row.WorkUnit} in {row.SimNs / 1e6:F3} ms simulated ({row.ThroughputPerS:F1}/s), " +
                              $"{row.ExitsTotal} exits, {row.IrqsDelivered} interrupts, p99 latency {row.IrqLatencyP99Ns:F0} ns");
            Console.WriteLine($"wrote {Path.Combine(dir, "runs.csv")} and {Path.Combine(dir, "counters.csv")}");
            return 0;
        });
        return cmd;
    }

    /// <summary>Validates everything, then runs. Nothing is written here, so bad input leaves no partial output.</summary>
    public static RunRow Execute(string controllerName, string workloadName, string profileName, int? vcpuCount, string seedText,
        IEnumerable<string>? sets, out List<CounterRow> counters)
    {
        var kit = Registry.FindController(controllerName)
            ?? throw new InputException($"unknown controller '{controllerName}' (available: {string.Join(", ", Registry.Controllers.Select(c => c.Name))})");
        var w = Registry.FindWorkload(workloadName)
            ?? throw new InputException($"unknown workload '{workloadName}' (available: {string.Join(", ", Registry.Workloads.Select(x => x.Name))})");
        var profile = ProfileStore.Load(profileName);
        ulong seed = CommonOptions.ParseSeed(seedText);
        int n = vcpuCount ?? w.FixedVcpus ?? 4;
        if (w.FixedVcpus is { } fixedN && n != fixedN)
            throw new InputException($"--vcpus {n}: workload {w.Name} runs on exactly {fixedN} vCPUs");
        if (n < 1 || n > 512) throw new InputException($"--vcpus {n}: out of range [1, 512]");
        WorkloadParameters p;
        try { p = WorkloadParameters.Create(w.Name, w.Parameters, CommonOptions.ParseSets(sets)); }
        catch (ParameterException e) { throw new InputException(e.Message); }

        RunResult r;
        try { r = w.Run(new RunSpec(kit, profile, n, seed, p)); }
        catch (ParameterException e) { throw new InputException(e.Message); }
        var row = RunRow.From(kit.Name, w.Name, profile, n, seed, p.ToCanonicalString(), r);
        counters = CounterRow.From(row.RunId, r.Metrics).ToList();
        return row;
    }
}
