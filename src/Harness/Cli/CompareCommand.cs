using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using IrqBench.Harness.Output;
using IrqBench.Harness.Report;
using IrqBench.Harness.Stats;
using IrqBench.Harness.Suite;
using IrqBench.Harness.Trust;
using IrqBench.Workloads.MicroBench;

namespace IrqBench.Harness.Cli;

/// <summary>What <c>compare</c> was asked to do.</summary>
internal sealed record CompareRequest(bool Quick, SuiteSelection Selection, double ThresholdPercent, bool List, int Jobs, string Out)
{
    public static readonly string DefaultOut = Path.Combine("results", "latest");

    public static CompareRequest Default => new(false, SuiteSelection.All, Verdicts.DefaultThresholdPercent, false, Environment.ProcessorCount, DefaultOut);

    /// <summary>The command as report.md names it: the options that decide the results, without the output folder and
    /// the job count, so the same results carry the same text.</summary>
    public string CommandText()
    {
        var parts = new List<string> { "irqbench compare" };
        if (Quick) parts.Add("--quick");
        void Many(string option, IEnumerable<string>? values) { foreach (var v in values ?? []) parts.Add($"{option} {v}"); }
        Many("--profile", Selection.Profiles);
        Many("--controller", Selection.Controllers);
        Many("--workload", Selection.Workloads);
        Many("--vcpus", Selection.Vcpus?.Select(v => v.ToString(CultureInfo.InvariantCulture)));
        if (Selection.Seeds is { } s) parts.Add($"--seeds {s.ToString(CultureInfo.InvariantCulture)}");
        if (Selection.Baseline != Summarizer.Gicv3) parts.Add($"--baseline {Selection.Baseline}");
        if (ThresholdPercent != Verdicts.DefaultThresholdPercent) parts.Add($"--threshold {ThresholdPercent.ToString("R", CultureInfo.InvariantCulture)}");
        return string.Join(' ', parts);
    }
}

/// <summary><c>irqbench compare</c> (and <c>irqbench</c> alone): the standard suite, or the part of it the options
/// select, run with every design on the same seeds; then the summary on the console and every results file in
/// DIR.</summary>
internal static class CompareCommand
{
    public static Command Create(out Action<RootCommand> asRootAction)
    {
        var quick = new Option<bool>("--quick") { Description = "the reduced suite CI runs (seconds, not minutes)" };
        var profiles = CommonOptions.Profiles();
        var controllers = CommonOptions.Controllers("controllers (repeatable; default: all): " + string.Join(", ", Registry.ControllerNames));
        var workloads = CommonOptions.Workloads();
        var vcpus = new Option<List<int>>("--vcpus") { Description = "vCPU counts (repeatable; default: the suite's per workload)", HelpName = "N", AllowMultipleArgumentsPerToken = true };
        var seeds = new Option<int?>("--seeds")
        {
            Description = $"seeds 1..N for every design (default: {SuiteDefinition.DefaultSeeds}; {PairedRatio.MinimumPairs} is the fewest that give a 95 % paired interval)",
            HelpName = "N",
        };
        var baselineOption = CommonOptions.Baseline($"the design every other is compared with, seed by seed (default: {Summarizer.Gicv3})");
        var threshold = CommonOptions.Threshold($"verdict threshold in percent: slower or faster by more than this (default: {Verdicts.DefaultThresholdPercent})");
        var list = new Option<bool>("--list") { Description = "print what would run, run nothing" };
        var jobs = CommonOptions.Jobs();
        var costs = CommonOptions.Costs();
        var outDir = CommonOptions.Out(CompareRequest.DefaultOut);
        var cmd = new Command("compare", "the standard suite: every design x workload x organisation on the same seeds, with the cost, paired verdicts, plots and report.md")
        {
            quick, profiles, controllers, workloads, vcpus, seeds, baselineOption, threshold, list, jobs, costs, outDir,
        };
        cmd.SetAction(pr =>
        {
            using var what = CostOverrides.Use(CostOverrides.Parse(pr.GetValue(costs)));
            var sel = new SuiteSelection(pr.GetValue(profiles), pr.GetValue(controllers), pr.GetValue(workloads), pr.GetValue(vcpus),
                pr.GetValue(seeds), pr.GetValue(baselineOption) ?? Summarizer.Gicv3);
            return Execute(new CompareRequest(pr.GetValue(quick), sel, pr.GetValue(threshold) ?? Verdicts.DefaultThresholdPercent, pr.GetValue(list),
                pr.GetValue(jobs), pr.GetValue(outDir)!));
        });
        asRootAction = root => root.SetAction(_ => Execute(CompareRequest.Default));
        return cmd;
    }

    public static int Execute(CompareRequest req)
    {
        var clock = Stopwatch.StartNew();
        var def = req.Quick ? SuiteDefinition.Quick : SuiteDefinition.Standard;
        var plan = SuitePlan.Expand(def, req.Selection);
        if (req.List)
        {
            PlanPrinter.Print(plan, Console.Out);
            return 0;
        }
        var profiles = plan.Profiles.ToDictionary(p => p, ProfileStore.Load);
        // The output folder is checked before the suite runs, and written all or nothing after it.
        using var output = OutputFolder.Begin(req.Out, ResultKind.Comparison);
        var micro = ProgressDisplay.Run("micro-benchmarks", plan.Microbench, x => x.Label,
            x => MicrobenchRow.From(MicroBenchRunner.Run(x.Kit, profiles[x.Profile], x.Test, 1, Iterations(def, x)), profiles[x.Profile]), Console.Out, req.Jobs);
        var outcomes = ProgressDisplay.Run($"{def.Name} suite", plan.Runs, s => s.Label, ScenarioRunner.Run, Console.Out, req.Jobs);

        var notes = plan.Notes.Prepend(PlanPrinter.Describe(plan)).ToList();
        var settings = new ComparisonSettings(plan.Baseline, req.ThresholdPercent, req.CommandText());
        var trust = new TrustComparison(plan.Controllers.Select(Registry.Controller).ToList(), plan.Profiles.Select(p => profiles[p]).ToList(), def.TrustAttempts);
        var data = new ComparisonData(outcomes.Select(o => o.Row).ToList(), micro, notes,
            outcomes.SelectMany(o => o.Exits).ToList(), outcomes.SelectMany(o => o.Latency).ToList(), settings)
        {
            Trust = trust.Kits.Count == 0 ? null : new TrustResults(trust.RunForgery(req.Jobs), trust.Surfaces()),
            StageRows = outcomes.SelectMany(o => o.Stages).ToList(),
        };
        ResultsFolder.WritePrimary(output.Stage, data, outcomes.SelectMany(o => o.Counters));
        var plots = ResultsFolder.WriteDerived(output.Stage, data);
        output.Commit();
        ConsoleSummary.Print(data);
        Console.WriteLine($"wrote {req.Out}/: {string.Join(", ", ResultsFolder.CompareFiles)} and {Plural.Of(plots.Drawn.Count, "plot")} in " +
                          $"{ResultsFolder.PlotsDir}/ ({Plural.Of(outcomes.Count, "run")}, {Plural.Of(micro.Count, "micro-benchmark")}, " +
                          $"{clock.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s with -j {req.Jobs})");
        return 0;
    }

    private static int? Iterations(SuiteDefinition def, MicrobenchItem x) =>
        def.MicrobenchIterations is { } cap ? Math.Min(cap, x.Test.Iterations) : null;

    /// <summary>The quick suite into <paramref name="dir"/>, as <c>check</c> runs it when given no results.</summary>
    public static int ExecuteQuick(string dir) => Execute(CompareRequest.Default with { Quick = true, Out = dir });
}
