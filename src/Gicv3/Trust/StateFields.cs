using System.Reflection;

namespace IrqBench.Gicv3.Trust;

/// <summary>A field of the model that is no state of KVM's structures (a back reference, a field counted with its
/// own type, scratch space, a metric, a model of hardware state): the trust comparison does not count it.</summary>
[AttributeUsage(AttributeTargets.Field)]
internal sealed class ModelOnlyAttribute(string why) : Attribute
{
    public string Why { get; } = why;
}

/// <summary>Per-vCPU vgic state that pKVM's trusted EL2 keeps in its own copy of the vCPU (the hyp vCPU's
/// vgic_v3_cpu_if, filled by flush_hyp_vgic_state and read back by sync_hyp_vgic_state).</summary>
[AttributeUsage(AttributeTargets.Field)]
internal sealed class El2StateAttribute : Attribute;

/// <summary>Counts the state fields of the model's types: the instance fields a type declares, auto-property backing
/// fields included, but not those marked <see cref="ModelOnlyAttribute"/>.</summary>
internal static class StateFields
{
    private const BindingFlags Declared = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    public static IEnumerable<FieldInfo> Of(Type type) => type.GetFields(Declared).Where(f => !f.IsDefined(typeof(ModelOnlyAttribute)));

    public static int Count(Type type) => Of(type).Count();

    /// <summary>Only those that pKVM's EL2 holds.</summary>
    public static int CountAtEl2(Type type) => Of(type).Count(f => f.IsDefined(typeof(El2StateAttribute)));
}
