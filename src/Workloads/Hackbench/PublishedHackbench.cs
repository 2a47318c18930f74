namespace IrqBench.Workloads.Hackbench;

/// <summary>
/// Published hackbench runs in a VM to compare the model with (docs/costs.md §3.3), by the profile's
/// <c>published_machine</c>. Exits are counted over the whole run, boot and set-up included, as the published counts
/// are (the model's run.exits_total); time is what hackbench prints. Nothing in the model is fitted to them.
/// </summary>
public static class PublishedHackbench
{
    /// <summary>One published run: the guest, hackbench's arguments, and what was measured.</summary>
    public sealed record Run(string Machine, int Vcpus, int Groups, int Loops, double Seconds, double Exits, string Source);

    public static IReadOnlyList<Run> All { get; } =
    [
        // R. Ananta, "Get rid of userspace_irqchip_in_use", kvmarm 2024-10-29: Ampere Altra, 64-vCPU 8 GB guest,
        // hackbench with its default 100 loops; exits are approximate ("~") in the post [verified].
        new("ampere-altra", 64, 100, 100, 0.154, 150_000, "docs/costs.md §3.3 (Ananta 2024)"),
        new("ampere-altra", 64, 250, 100, 0.456, 500_000, "docs/costs.md §3.3 (Ananta 2024)"),
        new("ampere-altra", 64, 500, 100, 0.851, 920_000, "docs/costs.md §3.3 (Ananta 2024)"),
    ];

    public static IEnumerable<Run> For(string? machine) => All.Where(r => r.Machine == machine);
}
