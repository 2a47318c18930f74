namespace IrqBench.Machine.Vcpus;

/// <summary>
/// KVM's adaptive halt-polling for one vCPU (kvm_vcpu_halt in virt/kvm/kvm_main.c): a blocking vCPU first polls
/// for <see cref="Window"/> (vcpu->halt_poll_ns) before its thread sleeps. The window starts at zero, grows when a
/// halt ended within the maximum (the profile's halt_poll_window, KVM_HALT_POLL_NS_DEFAULT on arm64) but beyond the
/// current window, and shrinks after a halt longer than the maximum.
/// </summary>
internal sealed class HaltPolling(long maxCycles, long growStartCycles)
{
    /// <summary>halt_poll_ns_grow and halt_poll_ns_shrink, the module defaults (kvm_main.c): the window doubles and
    /// halves.</summary>
    public const int Grow = 2, Shrink = 2;

    /// <summary>halt_poll_ns_grow_start: 10 µs (kvm_main.c).</summary>
    public const double GrowStartNs = 10_000;

    /// <summary>The current polling window in cycles (0: the vCPU thread sleeps at once).</summary>
    public long Window { get; private set; }

    /// <summary>After a halt of <paramref name="haltCycles"/> (polling included): the grow and shrink rules of
    /// kvm_vcpu_halt.</summary>
    public void Update(long haltCycles)
    {
        if (maxCycles == 0) { Window = 0; return; }
        if (haltCycles <= Window) return;
        if (Window > 0 && haltCycles > maxCycles) Window = Window / Shrink < growStartCycles ? 0 : Window / Shrink;
        else if (Window < maxCycles && haltCycles < maxCycles) Window = Math.Min(maxCycles, Math.Max(Window * Grow, growStartCycles));
    }
}
