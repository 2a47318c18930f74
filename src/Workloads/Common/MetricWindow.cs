using IrqBench.Machine;
using IrqBench.Machine.Metrics;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Workloads.Common;

/// <summary>
/// The counters of a measured interval. Workloads whose result excludes set-up (hackbench times from the start byte
/// to the last reap) report their counters over the same interval, so that exits per second and time agree.
/// </summary>
/// <remarks>
/// Guest, hypervisor and idle cycles are the machine's exact share of the interval (<see cref="MeasurementWindow"/>):
/// they add up to the interval's length times the vCPU count. Event counters (exits, kicks, deliveries) are the
/// differences between a snapshot when the window opens and the values when it closes; they count events by when the
/// simulation processed them, which may lie a burst (a few microseconds) off the window's edges. The run's counters
/// over its whole length (boot, set-up and teardown included) are kept beside them as <c>run.NAME</c> for the
/// exit counters, as a published whole-run exit count is measured. The extremes of exit handling times, the per-vCPU
/// exit tallies and the latency-stage histograms are reset when the window opens, so they cover the window too.
/// </remarks>
public sealed class MetricWindow
{
    private readonly VirtualMachine vm;
    private readonly Dictionary<string, long> start = new(StringComparer.Ordinal);
    private readonly int latencyStart;
    private readonly int[] latencyStartByKind;

    private MetricWindow(VirtualMachine vm, long at)
    {
        this.vm = vm;
        var m = vm.Metrics;
        foreach (var c in m.All) start[c.Name] = c.Value;
        latencyStart = m.IrqLatency.Count;
        latencyStartByKind = IrqKinds.All.Select(k => m.IrqLatencyOf(k).Count).ToArray();
        m.Exits.ResetExtremes();
        foreach (var t in m.ExitsByVcpu) t.Reset();
        m.Stages.ResetHistograms();
        vm.OpenWindow(at);
    }

    /// <summary>Opens the window at <paramref name="at"/>: a vCPU's time when the measured interval starts.</summary>
    public static MetricWindow Open(VirtualMachine vm, long at) => new(vm, at);

    /// <summary>After the run: a new set holding what happened in [open, <paramref name="at"/>).</summary>
    public MetricSet Close(long at)
    {
        vm.CloseWindow(at);
        var m = vm.Metrics;
        var d = new MetricSet();
        foreach (var c in m.All) d.Get(c.Name).Value = c.Value - start.GetValueOrDefault(c.Name);
        d.GuestCycles.Value = vm.Window.Cycles(TimeClass.Guest);
        d.HypCycles.Value = vm.Window.Cycles(TimeClass.Hyp);
        d.IdleCycles.Value = vm.Window.Cycles(TimeClass.Idle);
        foreach (var c in m.All)
            if (c.Name.StartsWith("exits_", StringComparison.Ordinal)) d.Get("run." + c.Name).Value = c.Value;
        d.Get("run.exits_total").Value = m.ExitsTotal;
        CopySamples(m.IrqLatency, d.IrqLatency, latencyStart);
        foreach (var k in IrqKinds.All) CopySamples(m.IrqLatencyOf(k), d.IrqLatencyOf(k), latencyStartByKind[(int)k]);
        d.Exits.CopyExtremesFrom(m.Exits);
        d.ExitsByVcpu.AddRange(m.ExitsByVcpu.Select(t => t.Copy()));
        d.Stages.CopyHistogramsFrom(m.Stages);
        return d;
    }

    private static void CopySamples(LatencyRecorder from, LatencyRecorder to, int first)
    {
        var samples = from.Samples;
        for (int i = first; i < samples.Length; i++) to.Record(samples[i]);
    }
}
