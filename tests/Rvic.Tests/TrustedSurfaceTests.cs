using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Traps;
using IrqBench.Machine.Vcpus;
using IrqBench.Rvic.Hypervisor;
using IrqBench.Rvic.Instance;
using IrqBench.Rvic.Variants;

namespace IrqBench.Rvic.Tests;

/// <summary>The trusted surface (rvic.md §16.2) is counted from the model's own tables and state types: the numbers
/// follow the ABI tables of §2.4/§2.5 and §12–§15, and change when a table or a state type changes.</summary>
public class TrustedSurfaceTests
{
    private static TrustedSurface Of(RvicVariant v, Organisation org) => RvicTrustedSurface.Count(v, RvicConfig.Default, org);

    /// <summary>An extension with <paramref name="calls"/> functions of its own and, optionally, one more state field
    /// per vCPU: what a test adds to see the count move.</summary>
    private sealed class Probe(int calls, bool extraField) : RvicExtension
    {
        public override string Name => "probe";
        public override string TrustedChange => "test only";

        internal override FunctionTable CreateCalls(RvicController c) => new("probe",
            Enumerable.Range(0, calls).Select(i => new HvcEntry(0xC500_0380u + (uint)i, $"P{i}", (Vcpu _, in HvcArgs _) => default)).ToList(),
            c.ChargeCallDecode);

        internal override RvicInstance? CreateInstance(RvicConfig config) => extraField ? new Wider(config.NrTrusted, config.NrTotal) : null;
    }

    private sealed class Wider(int t, int n) : RvicInstance(t, n)
    {
        public int Extra = 0;
    }

    [Theory]
    [InlineData(Organisation.Vhe)]
    [InlineData(Organisation.Nvhe)]
    public void Under_vhe_and_nvhe_the_base_rvic_trusts_its_11_rvic_and_3_rvid_calls_and_both_hvc_exits(Organisation org)
    {
        var s = Of(RvicVariant.Base, org);
        Assert.Equal((14, 2, 0, 0, 0), (s.Hypercalls, s.ExitKindsHandledTrusted, s.ExitKindsForwarded, s.GuestRegisters, s.ItsCommands));
    }

    [Fact]
    public void Under_pkvm_el2_serves_the_14_guest_calls_and_the_hosts_input_assertion()
    {
        var s = Of(RvicVariant.Base, Organisation.Pkvm);
        Assert.Equal((15, 2, 0), (s.Hypercalls, s.ExitKindsHandledTrusted, s.ExitKindsForwarded));
        Assert.Contains("AssertInput", s.Notes);
    }

    [Fact]
    public void The_base_state_is_the_fields_of_the_instance_and_rvic_cpu_per_vcpu_and_the_rvid_and_its_lock_per_vm()
    {
        var s = Of(RvicVariant.Base, Organisation.Vhe);
        // Instance: pending, masked, line level, the delivery list (next, prev, head, tail), nr_trusted, nr_total,
        // enabled; RvicCpu: the lock and VI. rVID: routes, nr_trusted, nr_total; the rVID lock.
        Assert.Equal((12, 4), (s.PerVcpuStateFields, s.PerVmStateFields));
    }

    [Theory]
    [InlineData(Organisation.Vhe)]
    [InlineData(Organisation.Pkvm)]
    public void Adding_a_function_id_adds_one_hypercall_to_the_count(Organisation org)
    {
        int baseCount = Of(RvicVariant.Base, org).Hypercalls;
        Assert.Equal(baseCount + 1, Of(new RvicVariant("probe1", [new Probe(1, false)], RvicVariant.Base.CreateGuestChip), org).Hypercalls);
        Assert.Equal(baseCount + 3, Of(new RvicVariant("probe3", [new Probe(3, false)], RvicVariant.Base.CreateGuestChip), org).Hypercalls);
    }

    [Fact]
    public void Adding_a_field_to_the_instance_adds_one_per_vcpu_state_field()
    {
        Assert.Equal(Of(RvicVariant.Base, Organisation.Vhe).PerVcpuStateFields + 1,
            Of(new RvicVariant("wider", [new Probe(1, true)], RvicVariant.Base.CreateGuestChip), Organisation.Vhe).PerVcpuStateFields);
    }

    [Theory]
    [InlineData(Organisation.Vhe)]
    [InlineData(Organisation.Pkvm)]
    public void Each_variant_adds_what_its_section_of_rvic_md_says(Organisation org)
    {
        var b = Of(RvicVariant.Base, org);
        bool pkvm = org == Organisation.Pkvm;
        var prio = Of(RvicVariant.Prio, org);
        Assert.Equal((b.Hypercalls + 3, b.PerVcpuStateFields + 6, b.PerVmStateFields), (prio.Hypercalls, prio.PerVcpuStateFields, prio.PerVmStateFields));
        var level = Of(RvicVariant.Level, org);
        Assert.Equal((b.Hypercalls + (pkvm ? 2 : 1), b.PerVcpuStateFields, b.PerVmStateFields + 1), (level.Hypercalls, level.PerVcpuStateFields, level.PerVmStateFields));
        var msi = Of(RvicVariant.Msi, org);
        // Its own HVC range is trusted everywhere; the frame's data abort only where the host is.
        Assert.Equal((b.Hypercalls + 1, pkvm ? 0 : 1, b.ExitKindsHandledTrusted + (pkvm ? 1 : 2), pkvm ? 1 : 0),
            (msi.Hypercalls, msi.GuestRegisters, msi.ExitKindsHandledTrusted, msi.ExitKindsForwarded));
        foreach (var v in new[] { prio, level, Of(RvicVariant.Fused, org) })
            Assert.Equal((b.ExitKindsHandledTrusted + 1, 0), (v.ExitKindsHandledTrusted, v.ExitKindsForwarded));
        var fused = Of(RvicVariant.Fused, org);
        Assert.Equal((b.Hypercalls + 1, b.PerVcpuStateFields, b.PerVmStateFields), (fused.Hypercalls, fused.PerVcpuStateFields, fused.PerVmStateFields));
    }

    [Fact]
    public void Every_kit_reports_its_own_name_and_organisation()
    {
        foreach (var kit in RvicKit.All)
            foreach (var org in Enum.GetValues<Organisation>())
            {
                var s = kit.Surface!(org);
                Assert.Equal((kit.Name, org.ToString().ToLowerInvariant()), (s.Design, s.Organisation));
            }
    }
}
