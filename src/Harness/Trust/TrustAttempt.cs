using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Simulation;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Harness.Trust;

/// <summary>
/// One attempt: a fresh three-vCPU VM of the design running <see cref="TrustGuest"/>, a VMM thread that signals both
/// devices <see cref="DeviceOffsetUs"/> µs into every period, and — unless the attack is the control — the host making the attack once, at a
/// seeded time inside the window where it can matter, through the design's <see cref="IHostAttackSurface"/>. The
/// answer is what the guest observed, judged by the guest's own record, and whether the design took the host's
/// request (a refusal the guest never sees is still reported).
/// </summary>
internal sealed class TrustAttempt : IEventTarget
{
    public const int Vcpus = 3, Periods = 8;
    public const double PeriodUs = 100, DeviceOffsetUs = 50, HeldFromUs = 15, HeldForUs = 20;
    private const int EvDevices = 0, EvAttack = 1;

    private readonly VirtualMachine vm;
    private readonly TrustGuest guest;
    private readonly IHostAttackSurface? surface;
    private readonly AttackClass attack;
    private bool? accepted;

    private TrustAttempt(ControllerKit kit, CostProfile profile, AttackClass attack, ulong seed)
    {
        this.attack = attack;
        vm = new VirtualMachine(profile, Vcpus, seed, kit.CreateController());
        surface = kit.HostSurface?.Invoke(vm.Controller, profile.Organisation);
        if (surface is null && attack != AttackClass.None)
            throw new ArgumentException($"{kit.Name} describes no host surface: only the control runs on it", nameof(kit));
        guest = new TrustGuest(vm, kit.CreateGuestChip(vm), Us(PeriodUs), Periods) { OnOrigin = Schedule };
    }

    /// <summary>When the host acts (cycles), or -1 for the control (or before the guest is up).</summary>
    public long AttackAt { get; private set; } = -1;

    /// <summary>The guest is up and its periods start at <paramref name="origin"/>: the VMM's device signals,
    /// <see cref="DeviceOffsetUs"/> µs into every period, and the attack.</summary>
    private void Schedule(long origin)
    {
        for (int k = 0; k < Periods; k++) vm.Queue.Post(origin + k * guest.Period + Us(DeviceOffsetUs), this, EvDevices);
        if (attack == AttackClass.None) return;
        AttackAt = origin + ChooseTime(vm.Random("trust attack time"));
        vm.Queue.Post(AttackAt, this, EvAttack);
    }

    private long Us(double us) => vm.Profile.NsToCycles(us * 1000);

    /// <summary>A seeded instant after the origin where the attack can show: anywhere before the last period for an
    /// injection or a mask change (after the devices are set up, for those on a device), and while a period's IPI is
    /// held in vCPU1 — signalled, not yet taken — for the attacks on an interrupt already signalled.</summary>
    private long ChooseTime(DeterministicRandom r)
    {
        long p = guest.Period, lastPeriod = Periods - 1;
        return attack switch
        {
            AttackClass.Retarget or AttackClass.Drop => r.NextLong(0, Periods) * p + Us(HeldFromUs) + r.NextLong(0, Us(HeldForUs)),
            AttackClass.UnmaskDevice or AttackClass.ChangeRouting => r.NextLong(Us(10), lastPeriod * p),
            _ => r.NextLong(0, lastPeriod * p),
        };
    }

    public static AttemptResult Run(ControllerKit kit, CostProfile profile, AttackClass attack, ulong seed)
    {
        var a = new TrustAttempt(kit, profile, attack, seed);
        a.vm.Boot(_ => a.guest);
        a.vm.Run();
        if (a.guest.Origin < 0 || a.vm.Vcpus.Any(v => v.State != VcpuState.Stopped))
            throw new InvalidOperationException($"trust guest on {kit.Name} ({profile.Name}, {attack.Name()}, seed {seed}) did not run to its end");
        var seen = a.guest.Record.Judge();
        return new AttemptResult(attack, seed, a.guest.Origin, a.AttackAt, a.accepted, seen, seen.Shows(attack), a.guest.Record.Taken);
    }

    public void OnEvent(int kind, long arg)
    {
        var host = vm.Host(vm.Queue.Now);
        if (kind == EvDevices)
        {
            foreach (var irq in new[] { guest.Routed, guest.Quiesced })
                if (irq is not null) vm.Controller.SignalMsi(host, irq.Device, irq.Msi);
            return;
        }
        Vcpu receiver = vm.Vcpus[1], bystander = vm.Vcpus[2];
        var surface = this.surface!;
        accepted = attack switch
        {
            AttackClass.InjectIpi => surface.InjectIpi(host, bystander, (int)IpiKind.Reschedule),
            AttackClass.FireTimer => surface.FireTimer(host, bystander),
            AttackClass.MaskTrusted => surface.SetTrustedMask(host, receiver, (int)IpiKind.CallFunction, masked: true),
            AttackClass.UnmaskDevice => surface.UnmaskDevice(host, guest.Quiesced!),
            AttackClass.Retarget => surface.Retarget(host, receiver, bystander, (int)IpiKind.CallFunction),
            AttackClass.Drop => surface.Drop(host, receiver, (int)IpiKind.CallFunction),
            AttackClass.ChangeRouting => surface.ChangeRouting(host, guest.Routed!, bystander),
            _ => throw new InvalidOperationException($"no attack to make for {attack}"),
        };
    }
}

/// <summary>One attempt's outcome: whether the design carried out the host's request (null for the control), what the
/// guest saw, and whether that is what the attack aimed at.</summary>
internal sealed record AttemptResult(AttackClass Attack, ulong Seed, long Origin, long AttackAt, bool? Accepted, Observation Seen, bool Succeeded,
    IReadOnlyList<(int Vcpu, string What, long At)> Taken);
