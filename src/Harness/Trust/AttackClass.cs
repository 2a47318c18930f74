namespace IrqBench.Harness.Trust;

/// <summary>What an untrusted host tries against a protected guest (<see cref="Machine.Contracts.IHostAttackSurface"/>),
/// and <see cref="None"/>, the control: the same run with no attack, which must show no forgery.</summary>
public enum AttackClass { None, InjectIpi, FireTimer, MaskTrusted, UnmaskDevice, Retarget, Drop, ChangeRouting }

public static class AttackClasses
{
    public static readonly IReadOnlyList<AttackClass> All = Enum.GetValues<AttackClass>();

    public static string Describe(this AttackClass a) => a switch
    {
        AttackClass.None => "none (control: the detection must find nothing)",
        AttackClass.InjectIpi => "inject an IPI no vCPU sent",
        AttackClass.FireTimer => "fire a timer the guest never armed",
        AttackClass.MaskTrusted => "mask a trusted INTID the guest uses",
        AttackClass.UnmaskDevice => "unmask an interrupt the guest masked",
        AttackClass.Retarget => "retarget a trusted IPI already signalled",
        AttackClass.Drop => "drop a trusted IPI already signalled",
        AttackClass.ChangeRouting => "change a device routing the guest set",
        _ => throw new ArgumentOutOfRangeException(nameof(a)),
    };

    public static string Name(this AttackClass a) => a switch
    {
        AttackClass.None => "none",
        AttackClass.InjectIpi => "inject_ipi",
        AttackClass.FireTimer => "fire_timer",
        AttackClass.MaskTrusted => "mask_trusted",
        AttackClass.UnmaskDevice => "unmask_masked",
        AttackClass.Retarget => "retarget",
        AttackClass.Drop => "drop",
        AttackClass.ChangeRouting => "change_routing",
        _ => throw new ArgumentOutOfRangeException(nameof(a)),
    };
}
