using System.CommandLine;
using System.Globalization;
using IrqBench.Harness.Output;
using IrqBench.Harness.Plots;
using IrqBench.Harness.Sensitivity;

namespace IrqBench.Harness.Cli;

/// <summary><c>irqbench sensitivity [--profile P] [--range R] [--workload W --vcpus N --set k=v]... [-j N] [--out DIR]</c>:
/// what each primitive moves (see <see cref="SensitivityAnalysis"/>), as a table and a tornado plot.</summary>
internal static class SensitivityCommand
{
    public static Command Create()
    {
        var profile = CommonOptions.Profile();
        var range = new Option<double>("--range") { Description = "fraction each primitive without a documented range is varied by (0.5: half to one and a half)", DefaultValueFactory = _ => 0.5, HelpName = "R" };
        var candidate = new Option<string>("--candidate") { Description = "the design whose cost is compared", DefaultValueFactory = _ => "rvic", HelpName = "C" };
        var baseline = new Option<string>("--baseline") { Description = "the design it is compared with", DefaultValueFactory = _ => "gicv3", HelpName = "C" };
        var workload = new Option<string>("--workload") { Description = "the scenario's workload", DefaultValueFactory = _ => "hackbench", HelpName = "W" };
        var vcpus = new Option<int>("--vcpus") { Description = "the scenario's vCPUs", DefaultValueFactory = _ => 16, HelpName = "N" };
        var sets = new Option<List<string>>("--set") { Description = "a workload parameter of the scenario (default for hackbench: groups=4 loops=50)", HelpName = "key=value" };
        var seeds = new Option<int>("--seeds") { Description = "seeds 1..N, each run on both designs; the ratio is the geometric mean of the paired per-seed ratios", DefaultValueFactory = _ => 5, HelpName = "N" };
        var top = new Option<int>("--top") { Description = "primitives shown in the table and the plot", DefaultValueFactory = _ => 25, HelpName = "N" };
        var jobs = new Option<int>("-j") { Description = "variants run in parallel (the results do not depend on it)", DefaultValueFactory = _ => Environment.ProcessorCount, HelpName = "N" };
        var outDir = new Option<string?>("--out") { Description = "folder for sensitivity.md, sensitivity.csv and plots/sensitivity-tornado.png", HelpName = "DIR" };
        var cmd = new Command("sensitivity", "what each primitive moves: the micro-benchmarks and a scenario's candidate/baseline ratio (tornado)")
            { profile, range, candidate, baseline, workload, vcpus, sets, seeds, top, jobs, outDir };
        cmd.SetAction(pr =>
        {
            double r = pr.GetValue(range);
            if (!(r > 0 && r < 1)) throw new InputException($"--range {r.ToString(CultureInfo.InvariantCulture)}: give a fraction between 0 and 1 (exclusive)");
            int j = pr.GetValue(jobs), n = pr.GetValue(top), v = pr.GetValue(vcpus), s = pr.GetValue(seeds);
            if (s < 1 || s > 100) throw new InputException($"--seeds {s}: give 1 to 100 seeds");
            if (j < 1) throw new InputException($"-j {j}: give at least one parallel run");
            if (n < 1) throw new InputException($"--top {n}: show at least one primitive");
            var p = ProfileStore.Load(pr.GetValue(profile)!);
            var c = Find(pr.GetValue(candidate)!);
            var b = Find(pr.GetValue(baseline)!);
            var w = Registry.FindWorkload(pr.GetValue(workload)!)
                ?? throw new InputException($"unknown workload '{pr.GetValue(workload)}' (available: {string.Join(", ", Registry.Workloads.Select(x => x.Name))})");
            if (v < 1 || (w.FixedVcpus is { } fixedV && v != fixedV)) throw new InputException($"--vcpus {v}: {w.Name} runs on {(w.FixedVcpus is { } f ? f.ToString(CultureInfo.InvariantCulture) : "1 or more")} vCPUs");
            var given = CommonOptions.ParseSets(pr.GetValue(sets)).ToList();
            if (given.Count == 0 && w.Name == "hackbench") given = [new("groups", "4"), new("loops", "50")];
            try { Workloads.Parameters.WorkloadParameters.Create(w.Name, w.Parameters, given); }
            catch (Workloads.Parameters.ParameterException e) { throw new InputException(e.Message); }

            using var output = pr.GetValue(outDir) is { } dir ? OutputFolder.Begin(dir, ResultKind.Sensitivity) : null;
            var analysis = new SensitivityAnalysis(p, c, b, w, v, Enumerable.Range(1, s).Select(i => (ulong)i).ToList(), given, microIterations: 4096);
            var (basis, rows) = analysis.Run(r, j);
            string md = SensitivityReport.Markdown(analysis, basis, rows, p.Name, n);
            Console.Write(md);
            if (output is not null)
            {
                var plot = TornadoPlot.Render(analysis, basis, rows, output["plots"], n);
                AtomicFile.WriteText(output["sensitivity.md"], plot is null ? md : md + $"\n![tornado](plots/{plot.File})\n\n*{plot.Caption}*\n");
                AtomicFile.WriteText(output["sensitivity.csv"], SensitivityReport.Csv(basis, rows));
                output.Commit();
                Console.WriteLine($"wrote {Path.Combine(output.Given, "sensitivity.md")}, sensitivity.csv{(plot is null ? "" : " and plots/" + plot.File)}");
            }
            return 0;
        });
        return cmd;
    }

    private static Machine.Contracts.ControllerKit Find(string name) => Registry.FindController(name)
        ?? throw new InputException($"unknown controller '{name}' (available: {string.Join(", ", Registry.Controllers.Select(c => c.Name))})");
}
