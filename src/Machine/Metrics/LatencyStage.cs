namespace IrqBench.Machine.Metrics;

/// <summary>
/// The stages an interrupt's latency is split into, in order along its path (each may be empty):
/// <list type="bullet">
/// <item><b>send</b>: from the raising operation's start (the sender's trap) to the kick leaving the sender;</item>
/// <item><b>kick</b>: the physical IPI in flight until the receiver's exit begins;</item>
/// <item><b>exit</b>: the receiver's exit and host work until the interrupt is injected (a halted receiver's wake-up
/// falls here too);</item>
/// <item><b>inject</b>: from the injection (list register written, VI set, hardware signal) to the guest entry;</item>
/// <item><b>pending</b>: from the entry until the guest takes the IRQ exception (while it has IRQs masked);</item>
/// <item><b>ack</b>: from the exception to the acknowledge (the vector and ICC_IAR1 or the ACKNOWLEDGE hypercall).</item>
/// </list>
/// </summary>
public enum LatencyStage { Send, Kick, Exit, Inject, Pending, Ack }

public static class LatencyStages
{
    public static readonly IReadOnlyList<LatencyStage> All = Enum.GetValues<LatencyStage>();

    public static string Name(this LatencyStage s) => s switch
    {
        LatencyStage.Send => "send",
        LatencyStage.Kick => "kick",
        LatencyStage.Exit => "exit",
        LatencyStage.Inject => "inject",
        LatencyStage.Pending => "pending",
        _ => "ack",
    };

    /// <summary>
    /// Splits [raised, acked] at the milestones that lie on the path, in order; a milestone outside what is left of
    /// the interval (a kick sent before this interrupt was raised, an exit that began before it) counts as reached at
    /// the previous one, so its stage is empty. The stages add up exactly to <paramref name="acked"/> −
    /// <paramref name="raised"/>.
    /// </summary>
    public static void Split(long raised, long kickSent, long exitBegan, long injected, long entered, long exception, long acked, Span<long> stages)
    {
        long at = raised;
        long Next(long milestone) => Math.Clamp(milestone, at, Math.Max(at, acked));
        Span<long> m = [Next(kickSent), 0, 0, 0, 0];
        at = m[0]; m[1] = Next(exitBegan);
        at = m[1]; m[2] = Next(injected);
        at = m[2]; m[3] = Next(entered);
        at = m[3]; m[4] = Next(exception);
        long prev = raised;
        for (int i = 0; i < 5; i++) { stages[i] = m[i] - prev; prev = m[i]; }
        stages[5] = Math.Max(prev, acked) - prev;
    }
}
