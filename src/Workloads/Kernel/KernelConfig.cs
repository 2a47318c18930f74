using IrqBench.Workloads.Parameters;

namespace IrqBench.Workloads.Kernel;

/// <summary>
/// The guest kernel's own choices that change how it schedules, shared by every workload that runs on
/// <see cref="GuestKernel"/>: each lists <see cref="Specs"/> among its parameters and builds its kernel with
/// <see cref="From"/>.
/// </summary>
/// <param name="LlcSize">vCPUs per last-level cache in the topology the VMM describes; 0 when all vCPUs share one.</param>
public sealed record KernelConfig(int LlcSize)
{
    public static readonly IReadOnlyList<ParameterSpec> Specs =
    [
        ParameterSpec.Int("llc", 0, 0, 4096, "vCPUs per last-level cache as the guest's scheduler sees them (sd_llc, cpus_share_cache): 0 = all vCPUs share one, what a guest of QEMU virt or kvmtool with -smp N and no cache description sees (docs/workloads.md); 1 = none share"),
    ];

    /// <summary>Every default.</summary>
    public static KernelConfig Default { get; } = new(0);

    public static KernelConfig From(WorkloadParameters p) => new(p.GetInt("llc"));
}
