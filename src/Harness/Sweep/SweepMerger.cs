using IrqBench.Harness.Output;

namespace IrqBench.Harness.Sweep;

/// <summary><c>irqbench merge</c>: joins the parts of shard folders of one grid into one folder whose files
/// (<see cref="SweepStore.Outputs"/>) are byte for byte what the unsharded sweep writes. Every input is checked before
/// anything is written: the same grid.txt everywhere, every run of the grid present, and every part whole.</summary>
public static class SweepMerger
{
    public static int Merge(IReadOnlyList<string> inputs, string outDir)
    {
        if (inputs.Count == 0) throw new InputException("merge: give at least one sweep folder");
        var stores = inputs.Select(d => new SweepStore(d)).ToList();
        string grid = stores[0].GridTextOnDisk();
        foreach (var s in stores.Skip(1))
            if (s.GridTextOnDisk() != grid)
                throw new InputException($"{Path.Combine(s.Dir, SweepStore.GridFile)}: a different grid from {Path.Combine(stores[0].Dir, SweepStore.GridFile)}: these folders are not shards of one sweep");
        int n = grid.Count(c => c == '\n');
        var lines = grid.Split('\n');
        var parts = new List<SweepStore.Part>(n);
        var missing = new List<int>();
        for (int i = 0; i < n; i++)
        {
            var holder = stores.FirstOrDefault(s => s.IsDone(i));
            if (holder is null) missing.Add(i);
            else parts.Add(holder.ReadPart(i, lines[i]));
        }
        if (missing.Count > 0)
            throw new InputException($"merge: {missing.Count} of {n} runs are in none of the folders (first: index {missing[0]}, " +
                                     $"'{lines[missing[0]][7..]}'); run the missing shards (or rerun them to resume) first");
        var outStore = new SweepStore(outDir);
        outStore.CheckGrid(grid);
        using var output = outStore.BeginOutput();
        AtomicFile.WriteText(output[SweepStore.GridFile], grid);
        SweepStore.Assemble(output.Stage, parts);
        output.Commit();
        return n;
    }
}
