using IrqBench.Harness.Cli;
using IrqBench.Harness.Suite;

namespace IrqBench.Harness.Sweep;

/// <summary>What a sweep invocation did: runs done now, runs found already done, runs of this shard still missing.</summary>
public sealed record SweepResult(int Ran, int Skipped, int Missing, int ShardRuns, int GridRuns);

/// <summary>Runs this shard's part of a sweep grid into a folder, skipping runs already finished there (resume), then
/// assembles the CSVs of every run the folder holds.</summary>
public static class SweepRunner
{
    /// <param name="maxNewRuns">stop after this many new runs (a batch-time budget; rerunning continues)</param>
    /// <param name="jobs">runs done at the same time; each is saved as it finishes, and the assembled files are the
    /// same bytes for any count</param>
    public static SweepResult Run(SweepSpec spec, Shard shard, string dir, int? maxNewRuns, TextWriter log, int jobs = 1)
    {
        var grid = spec.Grid();
        string gridText = SweepStore.GridText(grid);
        var store = new SweepStore(dir);
        store.CheckGrid(gridText);
        // Checked before the first run; the parts are the sweep's journal, written as runs finish, and the assembled
        // files are written all or nothing at the end.
        using var output = store.BeginOutput();
        store.Bind(gridText);
        var mine = Enumerable.Range(0, grid.Count).Where(shard.Owns).ToList();
        var todo = mine.Where(i => !store.IsDone(i)).ToList();
        int skipped = mine.Count - todo.Count;
        if (maxNewRuns is { } max) todo = todo.Take(max).ToList();
        if (skipped > 0) log.WriteLine($"sweep: {skipped} of this shard's {Plural.Of(mine.Count, "run")} already done in {dir}: resuming");

        ProgressDisplay.Run($"sweep shard {shard}", todo, i => grid[i].Label, i => store.Save(i, ScenarioRunner.Run(grid[i])), log, jobs);

        var lines = gridText.Split('\n');
        var present = Enumerable.Range(0, grid.Count).Where(store.IsDone).ToList();
        SweepStore.Assemble(output.Stage, present.Select(i => store.ReadPart(i, lines[i])).ToList());
        output.Commit();
        int missing = mine.Count(i => !store.IsDone(i));
        return new SweepResult(todo.Count, skipped, missing, mine.Count, grid.Count);
    }
}
