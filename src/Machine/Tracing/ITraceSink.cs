namespace IrqBench.Machine.Tracing;

/// <summary>
/// Where a traced run's timeline goes (<see cref="VirtualMachine.Trace"/>; null, the default, traces nothing and
/// costs a null test). Tracks are vCPU indexes, or <see cref="Vcpus.ExecContext.HostCpu"/> for the host threads; times
/// are cycles. A sink decides itself what falls inside its window.
/// </summary>
public interface ITraceSink
{
    /// <summary>A state of a track over [start, end): a vCPU's guest work, IRQ handler, an exit by reason, a halt.</summary>
    void Slice(int track, string name, string category, long start, long end);

    /// <summary>A new flow id (an IPI from its send to its handler, a kick from its sender to the exit it forces).</summary>
    long NewFlow();

    void FlowStart(long flow, string name, int track, long time);
    void FlowEnd(long flow, int track, long time);

    /// <summary>Something that happened at a point: an LR write or overflow, a maintenance interrupt, an ITS command,
    /// stop-the-world.</summary>
    void Instant(int track, string name, long time);

    /// <summary>A value over time: pending interrupts, a run queue's length.</summary>
    void Counter(string name, long time, long value);
}
