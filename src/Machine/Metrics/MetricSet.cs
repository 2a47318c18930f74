namespace IrqBench.Machine.Metrics;

/// <summary>
/// Every counter of a run, by name. The well-known ones of DESIGN §6 are fields; components may add their own
/// (they all land in counters.csv).
/// </summary>
public sealed class MetricSet
{
    private readonly Dictionary<string, Counter> counters = new(StringComparer.Ordinal);

    public MetricSet()
    {
        ExitsHvc = Get("exits_hvc");
        ExitsMmio = Get("exits_mmio");
        ExitsMmioUser = Get("exits_mmio_user");
        ExitsSysreg = Get("exits_sysreg");
        ExitsWfi = Get("exits_wfi");
        ExitsKick = Get("exits_kick");
        ExitsMaintenance = Get("exits_maintenance");
        ExitsTimer = Get("exits_timer");
        Kicks = Get("kicks");
        KicksNoExit = Get("kicks_while_in_hyp");
        Wakeups = Get("wakeups");
        SpuriousWakeups = Get("wakeups_spurious");
        HaltPollHits = Get("halt_poll_hits");
        HaltSleeps = Get("halt_sleeps");
        HaltAll = Get("halt_all");
        LockAcquisitions = Get("lock_acquisitions");
        LockContended = Get("lock_contended");
        LockWaitCycles = Get("lock_wait_cycles");
        IrqsDelivered = Get("irqs_delivered");
        IpisSent = Get("ipis_sent");
        SpuriousIrqs = Get("irqs_spurious");
        LrWrites = Get("lr_writes");
        LrReads = Get("lr_reads");
        LrOverflows = Get("lr_overflows");
        ItsCommands = Get("its_commands");
        MsisSignalled = Get("msis_signalled");
        GuestCycles = Get("guest_cycles");
        HypCycles = Get("hyp_cycles");
        IdleCycles = Get("idle_cycles");
        HaltPollCycles = Get("halt_poll_cycles");
        MmioUnclaimed = Get("mmio_unclaimed");
        LineTransfers = Get("line_transfers");
        Exits = new ExitStats(this);
        Stages = new StageHistograms(this);
        latencyByKind = new LatencyRecorder[IrqKinds.All.Count];
        deliveredByKind = new Counter[IrqKinds.All.Count];
        foreach (var k in IrqKinds.All)
        {
            latencyByKind[(int)k] = new LatencyRecorder();
            deliveredByKind[(int)k] = Get($"irqs_delivered.{k.Name()}");
        }
    }

    private readonly LatencyRecorder[] latencyByKind;
    private readonly Counter[] deliveredByKind;

    public Counter ExitsHvc { get; }
    public Counter ExitsMmio { get; }
    public Counter ExitsMmioUser { get; }
    public Counter ExitsSysreg { get; }
    public Counter ExitsWfi { get; }
    public Counter ExitsKick { get; }
    public Counter ExitsMaintenance { get; }
    public Counter ExitsTimer { get; }
    public Counter Kicks { get; }
    public Counter KicksNoExit { get; }
    public Counter Wakeups { get; }
    public Counter SpuriousWakeups { get; }
    public Counter HaltPollHits { get; }
    public Counter HaltSleeps { get; }
    public Counter HaltAll { get; }
    public Counter LockAcquisitions { get; }
    public Counter LockContended { get; }
    public Counter LockWaitCycles { get; }
    public Counter IrqsDelivered { get; }
    public Counter IpisSent { get; }
    public Counter SpuriousIrqs { get; }
    public Counter LrWrites { get; }
    public Counter LrReads { get; }
    public Counter LrOverflows { get; }
    public Counter ItsCommands { get; }
    public Counter MsisSignalled { get; }
    public Counter GuestCycles { get; }
    public Counter HypCycles { get; }
    public Counter IdleCycles { get; }
    public Counter HaltPollCycles { get; }
    public Counter MmioUnclaimed { get; }

    /// <summary>Cache lines moved between CPUs (locks, kick request bits, polled flags); by cause as line_transfers.CAUSE.</summary>
    public Counter LineTransfers { get; }

    /// <summary>Every delivered interrupt's latency, whatever its kind.</summary>
    public LatencyRecorder IrqLatency { get; } = new();

    /// <summary>The latencies of one kind of interrupt.</summary>
    public LatencyRecorder IrqLatencyOf(IrqKind kind) => latencyByKind[(int)kind];

    /// <summary>Handling time per exit reason (perf kvm stat's report).</summary>
    public ExitStats Exits { get; }

    /// <summary>Each vCPU's exits by reason (index = vCPU), for a one-vCPU exit report.</summary>
    public List<ExitTally> ExitsByVcpu { get; } = [];

    /// <summary>Where the latency of each kind of interrupt goes, stage by stage.</summary>
    public StageHistograms Stages { get; }

    /// <summary>A delivery: the guest acknowledged an interrupt of <paramref name="kind"/> whose latency split into
    /// <paramref name="stages"/> (one per <see cref="LatencyStage"/>, adding up to the latency). Counts irqs_delivered
    /// (in total and by kind) and records the latency and its stages.</summary>
    public void Delivered(IrqKind kind, ReadOnlySpan<long> stages)
    {
        long latency = 0;
        foreach (long s in stages) latency += s;
        IrqsDelivered.Value++;
        deliveredByKind[(int)kind].Value++;
        IrqLatency.Record(latency);
        latencyByKind[(int)kind].Record(latency);
        Stages.Record(kind, stages);
    }

    /// <summary>Every exit, whatever its reason (mmio_user exits are also mmio exits, so they are not added twice).</summary>
    public long ExitsTotal => ExitsHvc.Value + ExitsMmio.Value + ExitsSysreg.Value + ExitsWfi.Value + ExitsKick.Value
                              + ExitsMaintenance.Value + ExitsTimer.Value;

    /// <summary>The counter called <paramref name="name"/>, created at zero on first use.</summary>
    public Counter Get(string name)
    {
        if (!counters.TryGetValue(name, out var c)) counters[name] = c = new Counter(name);
        return c;
    }

    public IEnumerable<Counter> All => counters.Values.OrderBy(c => c.Name, StringComparer.Ordinal);
}
