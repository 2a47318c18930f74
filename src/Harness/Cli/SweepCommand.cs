using System.CommandLine;
using IrqBench.Harness.Sweep;

namespace IrqBench.Harness.Cli;

/// <summary><c>irqbench sweep --spec FILE [--shard K/N] [--out DIR] [--max-runs N] [-j N]</c> and <c>irqbench merge
/// DIR... --out DIR</c>.</summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var spec = new Option<string>("--spec") { Description = "sweep spec (JSON): controllers, workloads with parameter sets, profiles, vcpus, seeds", HelpName = "FILE", Required = true };
        var shard = new Option<string?>("--shard") { Description = "run only grid runs with index mod N = K (K 0-based)", HelpName = "K/N" };
        var outDir = CommonOptions.Out(Path.Combine("results", "latest", "sweep"));
        var maxRuns = new Option<int?>("--max-runs") { Description = "stop after this many new runs (rerun to continue)", HelpName = "N" };
        var jobs = CommonOptions.Jobs();
        var costs = CommonOptions.Costs();
        var cmd = new Command("sweep", "run a grid of scenarios from a spec file, resumable and shardable") { spec, shard, outDir, maxRuns, jobs, costs };
        cmd.SetAction(pr =>
        {
            using var what = CostOverrides.Use(CostOverrides.Parse(pr.GetValue(costs)));
            var s = SweepSpec.Load(pr.GetValue(spec)!);
            var sh = Shard.Parse(pr.GetValue(shard));
            if (pr.GetValue(maxRuns) is < 0) throw new InputException("--max-runs: must be ≥ 0");
            string dir = pr.GetValue(outDir)!;
            var r = SweepRunner.Run(s, sh, dir, pr.GetValue(maxRuns), Console.Out, pr.GetValue(jobs));
            Console.WriteLine($"sweep shard {sh}: {Plural.Of(r.Ran, "run")} done now, {r.Skipped} already done, {r.Missing} of {r.ShardRuns} still to do " +
                              $"(grid: {Plural.Of(r.GridRuns, "run")}); wrote {dir}/{string.Join(", ", SweepStore.Outputs)}");
            return 0;
        });
        return cmd;
    }

    public static Command CreateMerge()
    {
        var dirs = new Argument<List<string>>("DIR") { Description = "sweep folders (shards of one grid)", Arity = ArgumentArity.OneOrMore };
        var outDir = new Option<string>("--out") { Description = "folder for the merged sweep", HelpName = "DIR", Required = true };
        var cmd = new Command("merge", "join sweep shard folders into one") { dirs, outDir };
        cmd.SetAction(pr =>
        {
            int n = SweepMerger.Merge(pr.GetValue(dirs)!, pr.GetValue(outDir)!);
            Console.WriteLine($"merged {Plural.Of(n, "run")} into {pr.GetValue(outDir)}/{string.Join(", ", SweepStore.Outputs)}");
            return 0;
        });
        return cmd;
    }
}
