using IrqBench.Machine;
using IrqBench.Workloads.Common;
using IrqBench.Workloads.Kernel;
using IrqBench.Workloads.Parameters;

namespace IrqBench.Workloads.Trace;

/// <summary>
/// Replays recorded interrupt activity (docs/trace-format.md) on the guest kernel model: each vCPU's replay task
/// sends its recorded IPIs and arms its recorded timer interrupts, the VMM signals the recorded device interrupts.
/// The model's own periodic tick is off (the trace holds the real timer interrupts). What differs between
/// controllers is the cost of the same interrupt stream: exits, hypervisor time, latency, wake-ups.
/// </summary>
public sealed class TraceWorkload : IWorkload
{
    public const string ExampleName = "example";

    /// <summary>The largest trace file read: 512 MiB, some ten million rows.</summary>
    public const long MaxBytes = 512L << 20;

    public string Name => "trace";
    public string Description => "replay of a recorded interrupt trace (CSV: time_ns,cpu,kind,source,target,id)";
    public int? FixedVcpus => null;

    public IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        ParameterSpec.Text("file", ExampleName, "the trace CSV to replay, or 'example' for the built-in 4-vCPU example"),
        ParameterSpec.Choice("between", "busy", ["busy", "idle"], "what vCPUs do between events: compute until the trace ends, or halt in WFI"),
        .. KernelConfig.Specs,
    ];

    public RunResult Run(RunSpec spec)
    {
        string file = spec.Parameters.GetString("file");
        bool busy = spec.Parameters.GetString("between") == "busy";
        var events = Load(file, spec.Vcpus);

        var vm = new VirtualMachine(spec.Profile, spec.Vcpus, spec.Seed, spec.Kit.CreateController()) { Trace = spec.Trace };
        // Trace time 0 is when every vCPU is online (the irqchip bring-up is not part of the recording).
        long origin = 0;
        long ToCycles(long ns) => origin + spec.Profile.NsToCycles(ns);
        var perCpu = new List<TraceEvent>[spec.Vcpus];
        for (int i = 0; i < perCpu.Length; i++) perCpu[i] = [];
        foreach (var e in events)
            if (e.Kind != TraceKind.Device) perCpu[e.Cpu].Add(e);
        var devices = new TraceDevices(vm, events, ToCycles);
        long lastDone = 0;
        var drivers = new TraceCpu[spec.Vcpus];
        for (int i = 0; i < drivers.Length; i++)
            drivers[i] = new TraceCpu(i, perCpu[i], events[^1].TimeNs, busy, ToCycles) { OnDone = (_, cpu) => lastDone = Math.Max(lastDone, cpu.Now) };
        MetricWindow? window = null;

        var kernel = new GuestKernel(vm, spec.Kit.CreateGuestChip(vm), (k, cpu) =>
        {
            origin = cpu.Now;
            window = MetricWindow.Open(vm, origin);
            devices.Probe(k, cpu);
            for (int i = 0; i < drivers.Length; i++) k.WakeUpNewTask(cpu, k.Register(drivers[i]), pinnedCpu: i);
        }, periodicTick: false, KernelConfig.From(spec.Parameters));
        vm.Boot(_ => kernel);
        vm.Run();
        foreach (var d in drivers)
            if (!d.Done) throw new InvalidOperationException($"trace replay: {d} did not finish (the simulation ran out of events at {vm.Queue.Now} cycles)");
        long end = Math.Max(ToCycles(events[^1].TimeNs), lastDone);
        var metrics = window!.Close(end);
        metrics.Get("trace_rows").Value = events.Count;
        metrics.Get("trace_device_affinity_moves").Value = devices.AffinityMoves;
        return new RunResult(end - origin, events.Count, "interrupt", metrics);
    }

    /// <summary>The trace's rows, checked to fit a VM of <paramref name="vcpus"/> vCPUs: what a run replays, and what a
    /// sweep checks before it starts.</summary>
    public static List<TraceEvent> Load(string file, int vcpus)
    {
        var events = TraceReader.Parse(ReadText(file), file);
        foreach (var e in events)
            if (Math.Max(e.Cpu, Math.Max(e.Source, e.Target)) >= vcpus)
                throw new ParameterException($"trace {file} line {e.Line}: vCPU {Math.Max(e.Cpu, Math.Max(e.Source, e.Target))} is outside the VM's {vcpus} vCPUs (run with more --vcpus)");
        return events;
    }

    /// <summary>The built-in example, or a file; an unreadable file is a parameter error naming it.</summary>
    public static string ReadText(string file)
    {
        if (file == ExampleName)
        {
            using var s = typeof(TraceWorkload).Assembly.GetManifestResourceStream("IrqBench.Workloads.Trace.example.csv")
                ?? throw new InvalidOperationException("the built-in trace example is missing from the assembly");
            using var r = new StreamReader(s);
            return r.ReadToEnd();
        }
        try
        {
            // At most MaxBytes: a device such as /dev/zero named as the file must not exhaust memory.
            using var s = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read);
            using var text = new MemoryStream();
            var buffer = new byte[1 << 16];
            for (int n; (n = s.Read(buffer, 0, buffer.Length)) > 0;)
            {
                text.Write(buffer, 0, n);
                if (text.Length > MaxBytes) throw new ParameterException($"trace {file}: larger than {MaxBytes >> 20} MiB: not a trace");
            }
            return new System.Text.UTF8Encoding(false, false).GetString(text.GetBuffer(), 0, (int)text.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ParameterException($"trace {file}: cannot read it: {e.Message}");
        }
    }
}
