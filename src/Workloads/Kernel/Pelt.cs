namespace IrqBench.Workloads.Kernel;

/// <summary>
/// The load and util signals of a struct sched_avg (kernel/sched/pelt.c, per-entity load tracking): geometric series
/// of 1024-µs periods (1024 ns units of the PELT clock) in which the contribution of a period <c>n</c> periods ago is
/// weighted by y^n, with y^32 = 1/2. <see cref="LoadSum"/> accumulates the time the entity was on a run queue (for a
/// cfs_rq: that time times the queue's weight), <see cref="UtilSum"/> the time it was running (× 1024);
/// <see cref="LoadAvg"/> is the load sum divided by the series' maximum, times the entity's weight (for a cfs_rq:
/// times 1), <see cref="UtilAvg"/> the util sum divided by it; both are recomputed only when a period boundary was
/// crossed, as in the kernel. The runnable signal is not kept (nothing modelled reads it).
/// </summary>
public struct SchedAvg
{
    /// <summary>sa->last_update_time in ns of the PELT clock, advanced in whole 1024-ns units.</summary>
    public ulong LastUpdateTime;
    public ulong LoadSum;
    public ulong LoadAvg;
    public ulong UtilSum;
    public ulong UtilAvg;
    /// <summary>sa->period_contrib: how far (in 1024-ns units) the current period has run.</summary>
    public uint PeriodContrib;
    /// <summary>last_update_time == 0 in the kernel: a new or migrated entity, attached at its next enqueue
    /// (DO_ATTACH). A flag here, because the model's clock starts at 0.</summary>
    public bool Detached;
}

/// <summary>The arithmetic of kernel/sched/pelt.c: decay_load, __accumulate_pelt_segments, accumulate_sum,
/// ___update_load_sum and ___update_load_avg, for the load and util signals.</summary>
public static class Pelt
{
    /// <summary>LOAD_AVG_PERIOD: the half-life in periods (y^32 = 1/2).</summary>
    public const int LoadAvgPeriod = 32;

    /// <summary>LOAD_AVG_MAX: the largest value the series reaches, 1024 × Σ y^n (sched-pelt.h).</summary>
    public const ulong LoadAvgMax = 47742;

    /// <summary>PELT_MIN_DIVIDER: LOAD_AVG_MAX − 1024; get_pelt_divider adds the current period's contribution.</summary>
    public const ulong MinDivider = LoadAvgMax - 1024;

    /// <summary>scale_load_down(NICE_0_LOAD): the weight of a nice-0 task, the only weight in the model.</summary>
    public const ulong Nice0Weight = 1024;

    /// <summary>runnable_avg_yN_inv: y^n × (2^32 − 1) for n &lt; 32, as the kernel's table is generated
    /// (Documentation/scheduler/sched-pelt.c), computed here with integer square roots (y^16 = √½, y^8 = √y^16, ...)
    /// so that every platform gets the same bits.</summary>
    private static readonly ulong[] YInv = BuildYInv();

    private static ulong[] BuildYInv()
    {
        const int q = 62; // fixed point: value × 2^62
        UInt128 one = (UInt128)1 << q;
        var yPow2 = new UInt128[5]; // y^(2^k)
        UInt128 v = one >> 1;       // y^32 = 1/2
        for (int k = 4; k >= 0; k--) yPow2[k] = v = ISqrt(v << q);
        var table = new ulong[LoadAvgPeriod];
        for (int n = 0; n < LoadAvgPeriod; n++)
        {
            UInt128 p = one;
            for (int k = 0; k < 5; k++)
                if ((n >> k & 1) != 0) p = p * yPow2[k] >> q;
            table[n] = (ulong)(p * uint.MaxValue >> q);
        }
        return table;
    }

    private static UInt128 ISqrt(UInt128 x)
    {
        if (x == 0) return 0;
        int bits = 128 - (int)UInt128.LeadingZeroCount(x);
        UInt128 r = (UInt128)1 << ((bits + 1) / 2); // ≥ √x: Newton's steps come down to ⌊√x⌋
        while (true)
        {
            var next = (r + x / r) >> 1;
            if (next >= r) return r;
            r = next;
        }
    }

    /// <summary>decay_load: <paramref name="val"/> × y^<paramref name="n"/> (whole half-lives as shifts, the rest
    /// from the table; nothing survives 63 half-lives).</summary>
    public static ulong DecayLoad(ulong val, ulong n)
    {
        if (n > LoadAvgPeriod * 63) return 0;
        if (n >= LoadAvgPeriod)
        {
            val >>= (int)(n / LoadAvgPeriod);
            n %= LoadAvgPeriod;
        }
        return (ulong)((UInt128)val * YInv[n] >> 32);
    }

    /// <summary>get_pelt_divider: the series' maximum as of the current period's progress.</summary>
    public static ulong Divider(in SchedAvg sa) => MinDivider + sa.PeriodContrib;

    /// <summary>SCHED_CAPACITY_SCALE: what a CPU running all the time contributes to util per unit of time.</summary>
    public const ulong CapacityScale = 1024;

    /// <summary>
    /// ___update_load_sum: advance <paramref name="sa"/> to <paramref name="now"/> (ns), the entity having been on a
    /// run queue with <paramref name="load"/> (1 for a task on it, 0 off it; a cfs_rq's weight) and running
    /// (<paramref name="running"/>: the current task; a cfs_rq with a current task) all along. True when a period
    /// boundary was crossed (the caller then recomputes the averages). A clock earlier than the last update (a
    /// remote CPU's cursor behind this queue's) changes nothing.
    /// </summary>
    public static bool UpdateLoadSum(ulong now, ref SchedAvg sa, ulong load, bool running)
    {
        if (now <= sa.LastUpdateTime) return false;
        ulong delta = (now - sa.LastUpdateTime) >> 10;
        if (delta == 0) return false;
        sa.LastUpdateTime += delta << 10;
        return AccumulateSum(delta, ref sa, load, load != 0 && running) != 0;
    }

    /// <summary>___update_load_avg: load_avg = weight × load_sum / divider, util_avg = util_sum / divider.</summary>
    public static void UpdateLoadAvg(ref SchedAvg sa, ulong weight)
    {
        ulong divider = Divider(sa);
        sa.LoadAvg = weight * sa.LoadSum / divider;
        sa.UtilAvg = sa.UtilSum / divider;
    }

    /// <summary>accumulate_sum: decay the sum by the periods crossed and add this stretch's contribution — the rest
    /// of the first period (decayed), the full periods in between (Σ y^n), and the start of the current one.</summary>
    private static ulong AccumulateSum(ulong delta, ref SchedAvg sa, ulong load, bool running)
    {
        ulong contrib = delta; // no period crossed: delta < 1024
        delta += sa.PeriodContrib;
        ulong periods = delta / 1024;
        if (periods != 0)
        {
            sa.LoadSum = DecayLoad(sa.LoadSum, periods);
            sa.UtilSum = DecayLoad(sa.UtilSum, periods);
            delta %= 1024;
            if (load != 0)
                contrib = DecayLoad(1024 - sa.PeriodContrib, periods)
                    + LoadAvgMax - DecayLoad(LoadAvgMax, periods) - 1024 + delta; // __accumulate_pelt_segments
        }
        sa.PeriodContrib = (uint)delta;
        if (load != 0) sa.LoadSum += load * contrib;
        if (running) sa.UtilSum += contrib * CapacityScale;
        return periods;
    }
}
