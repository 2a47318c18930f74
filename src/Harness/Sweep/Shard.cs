using System.Globalization;

namespace IrqBench.Harness.Sweep;

/// <summary><c>--shard K/N</c>: shard K (0-based, as Slurm's SLURM_ARRAY_TASK_ID with --array=0-(N-1) and Kubernetes'
/// JOB_COMPLETION_INDEX give it) of N takes the grid runs whose index is K modulo N. Interleaving rather than blocks
/// spreads the expensive large-vCPU runs over all shards.</summary>
public sealed record Shard(int K, int N)
{
    public static readonly Shard All = new(0, 1);

    public bool Owns(int index) => index % N == K;

    public static Shard Parse(string? text)
    {
        if (text is null) return All;
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int k)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 && k < n)
            return new Shard(k, n);
        throw new InputException($"--shard {text}: expected K/N with N ≥ 1 and 0 ≤ K < N (K is 0-based)");
    }

    public override string ToString() => $"{K}/{N}";
}
