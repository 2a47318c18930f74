using CsvHelper;
using IrqBench.Machine.Contracts;

namespace IrqBench.Harness.Trust;

/// <summary>One row of trust_surface.csv: what the trusted part of one organisation must implement for one design
/// (<see cref="TrustedSurface"/>, counted from the design's own tables when the row is made).</summary>
[CsvRecord]
public partial record SurfaceRow
{
    [CsvColumn("design")] public string Design { get; init; } = "";
    [CsvColumn("organisation")] public string Organisation { get; init; } = "";
    [CsvColumn("guest_registers")] public int GuestRegisters { get; init; }
    [CsvColumn("hypercalls")] public int Hypercalls { get; init; }
    [CsvColumn("its_commands")] public int ItsCommands { get; init; }
    [CsvColumn("per_vcpu_state_fields")] public int PerVcpuStateFields { get; init; }
    [CsvColumn("per_vm_state_fields")] public int PerVmStateFields { get; init; }
    [CsvColumn("exit_kinds_trusted")] public int ExitKindsHandledTrusted { get; init; }
    [CsvColumn("exit_kinds_forwarded")] public int ExitKindsForwarded { get; init; }
    [CsvColumn("notes")] public string Notes { get; init; } = "";

    public static SurfaceRow From(TrustedSurface s) => new()
    {
        Design = s.Design, Organisation = s.Organisation, GuestRegisters = s.GuestRegisters, Hypercalls = s.Hypercalls,
        ItsCommands = s.ItsCommands, PerVcpuStateFields = s.PerVcpuStateFields, PerVmStateFields = s.PerVmStateFields,
        ExitKindsHandledTrusted = s.ExitKindsHandledTrusted, ExitKindsForwarded = s.ExitKindsForwarded, Notes = s.Notes,
    };
}
