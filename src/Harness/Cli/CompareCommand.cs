using System.CommandLine;
using System.Diagnostics;
using IrqBench.Harness.Output;
using IrqBench.Harness.Report;
using IrqBench.Harness.Suite;
using IrqBench.Workloads.MicroBench;

namespace IrqBench.Harness.Cli;

/// <summary><c>irqbench compare [--quick] [--out DIR]</c> (and <c>irqbench</c> alone): the standard suite, then the
/// summary on the console and runs.csv, counters.csv, summary.csv, microbench.csv, plots/ and report.md in DIR.</summary>
internal static class CompareCommand
{
    public static Command Create(out Action<RootCommand> asRootAction)
    {
        var quick = new Option<bool>("--quick") { Description = "the reduced suite CI runs (seconds, not minutes)" };
        var outDir = CommonOptions.Out(Path.Combine("results", "latest"));
        var cmd = new Command("compare", "the standard suite: every controller x workload, with summary, plots and report.md") { quick, outDir };
        cmd.SetAction(pr => Execute(pr.GetValue(quick), pr.GetValue(outDir)!));
        asRootAction = root => root.SetAction(_ => Execute(false, Path.Combine("results", "latest")));
        return cmd;
    }

    public static int Execute(bool quick, string dir)
    {
        var clock = Stopwatch.StartNew();
        var def = quick ? SuiteDefinition.Quick : SuiteDefinition.Standard;
        var plan = SuitePlan.Expand(def);
        var profile = ProfileStore.Load(def.Profile);

        var micro = new List<MicrobenchRow>();
        var tests = plan.MicrobenchKits.SelectMany(k => MicroBenchRunner.TestsFor(k).Select(t => (Kit: k, Test: t))).ToList();
        ProgressDisplay.Run("micro-benchmarks", tests, x => $"{x.Kit.Name} {x.Test.Name}",
            x => micro.Add(MicrobenchRow.From(MicroBenchRunner.Run(x.Kit, profile, x.Test, 1))), Console.Out);

        var outcomes = new List<RunOutcome>();
        ProgressDisplay.Run($"{def.Name} suite", plan.Runs, s => s.Label, s => outcomes.Add(ScenarioRunner.Run(s)), Console.Out);

        string command = quick ? "irqbench compare --quick" : "irqbench compare";
        var notes = plan.Notes.Prepend($"suite '{def.Name}': controllers {string.Join(", ", plan.MicrobenchKits.Select(k => k.Name))}; " +
                                       $"workloads {(plan.Runs.Count == 0 ? "none beyond the micro-benchmarks" : string.Join(", ", plan.Runs.Select(r => r.Workload).Distinct()))}; " +
                                       $"profile {def.Profile}; seeds 1-{def.Seeds}").ToList();
        var data = new ComparisonData(outcomes.Select(o => o.Row).ToList(), micro, notes);
        ResultsFolder.WritePrimary(dir, data, outcomes.SelectMany(o => o.Counters));
        var plots = ResultsFolder.WriteDerived(dir, data, command);
        ConsoleSummary.Print(data);
        Console.WriteLine($"wrote {dir}/: {ResultsFolder.Runs}, {ResultsFolder.Counters}, {ResultsFolder.Summary}, {ResultsFolder.Microbench}, " +
                          $"{ResultsFolder.ReportFile} and {plots.Count} plots in {ResultsFolder.PlotsDir}/ ({clock.Elapsed.TotalSeconds:F1} s)");
        return 0;
    }
}
