using IrqBench.Machine.Contracts;

namespace IrqBench.Workloads.Trace;

public enum TraceKind { Ipi, Timer, Device }

/// <summary>One row of a trace (docs/trace-format.md): at <see cref="TimeNs"/>, an IPI from
/// <see cref="Source"/> to <see cref="Target"/>, a timer interrupt on <see cref="Target"/>, or an interrupt of
/// device <see cref="Device"/> handled on <see cref="Target"/>.</summary>
public readonly record struct TraceEvent(long TimeNs, int Cpu, TraceKind Kind, int Source, int Target, IpiKind Ipi, string Device, int Line);
