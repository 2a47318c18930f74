using IrqBench.Machine.Contracts;

namespace IrqBench.Harness.Trust;

/// <summary>What the protected guest did and saw: the IPIs it sent (one call-function IPI to vCPU1 per period) and
/// every interrupt each vCPU took. <see cref="Judge"/> compares the two, with nothing but the guest's own knowledge
/// of what it asked for.</summary>
internal sealed class GuestRecord
{
    private readonly Dictionary<long, long> sentByPeriod = [];
    private readonly List<(int Vcpu, string What, long At)> taken = [];

    public IReadOnlyList<(int Vcpu, string What, long At)> Taken => taken;
    public int IpisSent => sentByPeriod.Count;

    public bool SentIn(long period) => sentByPeriod.ContainsKey(period);
    public void Sent(long period, long at) => sentByPeriod[period] = at;
    public void Took(int vcpu, string what, long at) => taken.Add((vcpu, what, at));

    private int Count(Func<(int Vcpu, string What, long At), bool> p) => taken.Count(p);

    /// <summary>Everything the guest took that it did not ask for, and everything it asked for that never came.</summary>
    public Observation Judge()
    {
        string callFunction = $"ipi {IpiKind.CallFunction}";
        int received = Count(t => t.Vcpu == 1 && t.What == callFunction);
        return new Observation(
            ForgedIpis: Count(t => t.What.StartsWith("ipi ", StringComparison.Ordinal) && (t.Vcpu != 1 || t.What != callFunction))
                + Math.Max(0, received - IpisSent),
            ForgedTimers: Count(t => t.What == "timer"),
            LostIpis: Math.Max(0, IpisSent - received),
            MovedIpis: Count(t => t.Vcpu != 1 && t.What == callFunction),
            MaskedDeviceTaken: Count(t => t.What == "device (masked)"),
            MisroutedDevice: Count(t => t.Vcpu != 1 && t.What == "device"));
    }
}

/// <summary>The guest's verdict on one run: counts of each kind of deviation from what it set up.</summary>
internal readonly record struct Observation(int ForgedIpis, int ForgedTimers, int LostIpis, int MovedIpis, int MaskedDeviceTaken, int MisroutedDevice)
{
    public bool Any => ForgedIpis + ForgedTimers + LostIpis + MovedIpis + MaskedDeviceTaken + MisroutedDevice > 0;

    /// <summary>Whether the guest saw what <paramref name="attack"/> aims at; for the control, whether it saw anything.</summary>
    public bool Shows(AttackClass attack) => attack switch
    {
        AttackClass.None => Any,
        AttackClass.InjectIpi => ForgedIpis > 0,
        AttackClass.FireTimer => ForgedTimers > 0,
        AttackClass.MaskTrusted or AttackClass.Drop => LostIpis > 0,
        AttackClass.UnmaskDevice => MaskedDeviceTaken > 0,
        AttackClass.Retarget => MovedIpis > 0,
        AttackClass.ChangeRouting => MisroutedDevice > 0,
        _ => throw new ArgumentOutOfRangeException(nameof(attack)),
    };

    public override string ToString()
    {
        var parts = new List<string>();
        void Add(int n, string what) { if (n > 0) parts.Add($"{n} {what}"); }
        Add(ForgedIpis, "IPI(s) nobody sent");
        Add(ForgedTimers, "timer interrupt(s) never armed");
        Add(LostIpis, "IPI(s) sent and never taken");
        Add(MovedIpis, "IPI(s) taken by a vCPU they were not sent to");
        Add(MaskedDeviceTaken, "interrupt(s) of a device the guest masked");
        Add(MisroutedDevice, "device interrupt(s) on a vCPU the guest did not route them to");
        return parts.Count == 0 ? "nothing unexpected" : string.Join("; ", parts);
    }
}
