using System.Reflection;
using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Rvic.Variants;

namespace IrqBench.Rvic.Hypervisor;

/// <summary>
/// What the trusted part must implement for an rVIC design under an organisation (rvic.md §16.2), counted from the
/// model itself: a controller of the variant is attached to a one-vCPU VM of that organisation, and the count reads
/// its registrations (function tables, MMIO frames and their placements), the host calls EL2 serves, and the fields of
/// the per-vCPU and per-VM state objects it created. Under vhe and nvhe the whole host is trusted, so everything
/// registered counts as handled in the trusted part; under pkvm only what is placed at EL2, plus the calls EL2
/// serves the host.
/// </summary>
public static class RvicTrustedSurface
{
    public static TrustedSurface Count(RvicVariant variant, RvicConfig config, Organisation org)
    {
        var controller = new RvicController(config, variant);
        var vm = new VirtualMachine(SyntheticProfile(org), 1, 1, controller);
        bool pkvm = org == Organisation.Pkvm;
        bool Trusted(RvicController.Registration r) => !pkvm || r.Placement == Placement.El2;

        var trusted = controller.Registrations.Where(Trusted).ToList();
        int hostCalls = pkvm ? controller.HostOps.Count : 0;
        int perVm = StateFields(controller.Rvid)
            + typeof(RvicController).GetFields(BindingFlags.Instance | BindingFlags.NonPublic).Count(f => f.IsDefined(typeof(PerVmStateAttribute)));
        string trustedPart = pkvm
            ? $"EL2 serves the guest's calls and {hostCalls} host call(s) ({string.Join(", ", controller.HostOps.Order())})"
            : "the whole host kernel is trusted";
        var changes = variant.Extensions.Select(e => $"{e.Name}: {e.TrustedChange}");
        return new TrustedSurface(
            variant.Name,
            org.ToString().ToLowerInvariant(),
            GuestRegisters: trusted.Sum(r => r.Registers.Count),
            Hypercalls: trusted.Sum(r => r.Functions?.Entries.Count ?? 0) + hostCalls,
            ItsCommands: 0,
            PerVcpuStateFields: StateFields(vm.Vcpus[0].ControllerState!),
            PerVmStateFields: perVm,
            ExitKindsHandledTrusted: trusted.Count,
            ExitKindsForwarded: controller.Registrations.Count - trusted.Count,
            Notes: string.Join("; ", [trustedPart, .. changes]));
    }

    /// <summary>
    /// The state fields of <paramref name="state"/>: every instance field of its type and base types, a field holding
    /// another rVIC model object counted as that object's fields, a field marked <see cref="ModelBookkeepingAttribute"/>
    /// (the simulator's own accounting) not at all.
    /// </summary>
    public static int StateFields(object state)
    {
        int n = 0;
        for (var t = state.GetType(); t is not null && t != typeof(object); t = t.BaseType)
            foreach (var f in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (f.IsDefined(typeof(ModelBookkeepingAttribute))) continue;
                n += f.GetValue(state) is { } v && IsModelObject(v.GetType()) ? StateFields(v) : 1;
            }
        return n;
    }

    private static bool IsModelObject(Type t) =>
        typeof(Instance.RvicInstance).IsAssignableFrom(t) || typeof(Rvid.RvidTable).IsAssignableFrom(t)
        || t.Assembly == typeof(RvicTrustedSurface).Assembly && t.IsClass && !t.IsArray && !typeof(Delegate).IsAssignableFrom(t);

    /// <summary>A profile of the organisation with every primitive at one cycle: the count attaches a controller, it
    /// runs nothing.</summary>
    private static CostProfile SyntheticProfile(Organisation org) => new("trusted-surface", "synthetic, for counting only", 1_000_000_000, org, null,
        MachinePrimitives.Specs.Concat(RvicCosts.Specs).Where(s => s.AppliesTo(org))
            .Select(s => new Primitive(s.Section, s.Name, 1, "assumption: counting only")));
}
