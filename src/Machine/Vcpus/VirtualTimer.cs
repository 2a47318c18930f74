namespace IrqBench.Machine.Vcpus;

/// <summary>
/// The EL1 virtual timer of one vCPU (CNTV_CVAL_EL0 / CNTV_CTL_EL0). Guest accesses do not trap. Its output is a
/// level: asserted from the deadline until the guest reprograms or disables it.
/// </summary>
public sealed class VirtualTimer
{
    private readonly Vcpu cpu;
    internal long Generation;

    internal VirtualTimer(Vcpu cpu) => this.cpu = cpu;

    public bool Enabled { get; private set; }
    public long Deadline { get; private set; }

    /// <summary>ISTATUS ∧ ENABLE: the level the timer drives into the interrupt controller.</summary>
    public bool Asserted => Enabled && fired;
    private bool fired;

    /// <summary>Programs CNTV_CVAL and enables the timer (no trap).</summary>
    public void SetDeadline(long absoluteCycles)
    {
        Enabled = true;
        Deadline = absoluteCycles;
        fired = false;
        Generation++;
        cpu.Vm.Queue.Post(Math.Max(absoluteCycles, cpu.Vm.Queue.Now), cpu, Vcpu.EvTimer, Generation);
    }

    /// <summary>Disables the timer (CNTV_CTL.ENABLE = 0): the output drops.</summary>
    public void Disable()
    {
        Enabled = false;
        fired = false;
        Generation++;
    }

    internal bool Fire(long generation)
    {
        if (generation != Generation || !Enabled) return false;
        fired = true;
        return true;
    }
}
