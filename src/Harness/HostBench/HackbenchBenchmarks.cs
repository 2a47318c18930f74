using System.Collections.Concurrent;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using IrqBench.Machine.Ideal;
using IrqBench.Workloads;
using IrqBench.Workloads.Hackbench;
using IrqBench.Workloads.Parameters;

namespace IrqBench.Harness.HostBench;

/// <summary>
/// How fast the simulator runs hackbench: one operation is one whole hackbench run (10 groups × 20 fds, 10 loops:
/// 40,000 messages) on the ideal controller. The Msgs/s and Irqs/s columns give simulated messages and delivered
/// interrupts per wall-clock second; the memory diagnoser gives bytes allocated per run.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(RateColumns))]
public class HackbenchBenchmarks
{
    private const int Loops = 10;
    private static readonly ConcurrentDictionary<int, (double Messages, long Irqs)> PerRun = new();

    [Params(4, 64, 256)] public int Vcpus;

    private RunSpec spec = null!;

    [GlobalSetup]
    public void Setup() => spec = Spec(Vcpus);

    private static RunSpec Spec(int vcpus)
    {
        var w = new HackbenchWorkload();
        var p = WorkloadParameters.Create(w.Name, w.Parameters, [KeyValuePair.Create("loops", Loops.ToString(CultureInfo.InvariantCulture))]);
        return new RunSpec(IdealGuestIrqChip.Kit, ProfileStore.Load(ProfileStore.DefaultProfile), vcpus, 1, p);
    }

    /// <summary>What one run simulates (deterministic, so one run here stands for every measured one, even when the
    /// benchmark ran in another process).</summary>
    private static (double Messages, long Irqs) PerRunOf(int vcpus) => PerRun.GetOrAdd(vcpus, v =>
    {
        var r = HackbenchWorkload.Run(Spec(v), out _);
        return (r.WorkUnits, r.Metrics.IrqsDelivered.Value);
    });

    [Benchmark]
    public long Hackbench() => HackbenchWorkload.Run(spec, out _).SimCycles;

    /// <summary>Simulated messages and delivered interrupts per wall-clock second, from the mean time per run.</summary>
    private sealed class RateColumns : ManualConfig
    {
        public RateColumns()
        {
            AddColumn(new RateColumn("Msgs/s", x => x.Messages), new RateColumn("Irqs/s", x => x.Irqs));
        }
    }

    private sealed class RateColumn(string name, Func<(double Messages, long Irqs), double> perRun) : IColumn
    {
        public string Id => "hackbench-" + name;
        public string ColumnName => name;
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => $"simulated {name[..^2].ToLowerInvariant()} per wall-clock second";
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            // hostbench joins every benchmark class into one summary, so the column is asked about other classes too.
            if (benchmarkCase.Descriptor.Type != typeof(HackbenchBenchmarks) || benchmarkCase.Parameters["Vcpus"] is not int vcpus) return "-";
            var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
            if (mean is not > 0) return "-";
            return (perRun(PerRunOf(vcpus)) / (mean.Value / 1e9)).ToString("N0", CultureInfo.InvariantCulture);
        }
    }
}
