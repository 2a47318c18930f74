using IrqBench.Machine.Vcpus;

namespace IrqBench.Machine.Metrics;

/// <summary>
/// Per exit reason, what <c>perf kvm stat report</c> prints: how many exits, and the hypervisor cycles each one took
/// from the trap to the guest entry (total, minimum, maximum). Totals are counters (<c>exit_cycles.REASON</c>), so
/// they land in counters.csv and take part in measured windows; the extremes cover what was recorded since the last
/// <see cref="ResetExtremes"/>.
/// </summary>
/// <remarks>Handling time is hypervisor time only: a WFx exit's halt (the vCPU idle in the host) is idle time, not
/// handling time, where perf kvm stat would count the whole block. The fold/flush that a kick replays for a vCPU it
/// found in the hypervisor belongs to the exit that vCPU was handling and is added to that reason's total.</remarks>
public sealed class ExitStats
{
    private readonly Counter[] cycles;
    private readonly long[] min, max;

    public static readonly IReadOnlyList<ExitReason> Reasons = Enum.GetValues<ExitReason>();

    internal ExitStats(MetricSet m)
    {
        cycles = new Counter[Reasons.Count];
        min = new long[Reasons.Count];
        max = new long[Reasons.Count];
        foreach (var r in Reasons) cycles[(int)r] = m.Get($"exit_cycles.{Name(r)}");
        ResetExtremes();
    }

    /// <summary>The name of a reason in counter and CSV names (hvc, mmio, sysreg, wfi, kick, maintenance, timer).</summary>
    public static string Name(ExitReason r) => r switch
    {
        ExitReason.Hvc => "hvc",
        ExitReason.Mmio => "mmio",
        ExitReason.Sysreg => "sysreg",
        ExitReason.Wfi => "wfi",
        ExitReason.Kick => "kick",
        ExitReason.Maintenance => "maintenance",
        _ => "timer",
    };

    public void Record(ExitReason r, long hypCycles)
    {
        int i = (int)r;
        cycles[i].Value += hypCycles;
        if (hypCycles < min[i]) min[i] = hypCycles;
        if (hypCycles > max[i]) max[i] = hypCycles;
    }

    /// <summary>Work that belongs to an exit already closed (a kick's replayed fold and flush).</summary>
    public void AddToLast(ExitReason r, long hypCycles) => cycles[(int)r].Value += hypCycles;

    public long TotalCycles(ExitReason r) => cycles[(int)r].Value;

    /// <summary>The shortest exit of reason <paramref name="r"/> since the last reset; 0 when there was none.</summary>
    public long MinCycles(ExitReason r) => min[(int)r] == long.MaxValue ? 0 : min[(int)r];
    public long MaxCycles(ExitReason r) => max[(int)r];

    public void ResetExtremes()
    {
        Array.Fill(min, long.MaxValue);
        Array.Fill(max, 0);
    }

    public void CopyExtremesFrom(ExitStats other)
    {
        Array.Copy(other.min, min, min.Length);
        Array.Copy(other.max, max, max.Length);
    }
}
