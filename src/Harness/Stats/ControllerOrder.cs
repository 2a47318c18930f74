using IrqBench.Harness.Suite;

namespace IrqBench.Harness.Stats;

/// <summary>Sorts controller names in report order (gicv3, gicv4.1, rvic, ideal), unknown names after them by
/// ordinal, so tables and plots list controllers the same way whatever order the runs came in.</summary>
public sealed class ControllerOrder : IComparer<string>
{
    public static readonly ControllerOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        int ix = Rank(x), iy = Rank(y);
        return ix != iy ? ix.CompareTo(iy) : string.CompareOrdinal(x, y);
    }

    private static int Rank(string? name)
    {
        int i = name is null ? -1 : SuiteDefinition.ControllerOrder.ToList().IndexOf(name);
        return i < 0 ? int.MaxValue : i;
    }
}
