namespace IrqBench.Workloads.MicroBench;

/// <summary>
/// Published kvm-unit-tests micro-bench results to compare the model with, by the profile's
/// <c>published_machine</c>. Every figure is from <c>reference/costs.md</c>; these are measurements the model is
/// checked against, never inputs to it.
/// </summary>
public static class PublishedFigures
{
    public sealed record Figure(double Ns, string Source);

    private static readonly Dictionary<(string Machine, string Test), Figure> Figures = new()
    {
        // costs.md §1.5: Ampere Altra (N1 @ 3.0 GHz), Linux v6.12-rc1, R. Ananta 2024-10-29 [verified].
        [("ampere-altra", "hvc")] = new(306, "costs.md §1.5 Altra (Ananta 2024)"),
        [("ampere-altra", "mmio_read_user")] = new(1683, "costs.md §1.5 Altra (Ananta 2024)"),
        [("ampere-altra", "mmio_read_vgic")] = new(451, "costs.md §1.5 Altra (Ananta 2024)"),
        [("ampere-altra", "eoi")] = new(14, "costs.md §1.5 Altra (Ananta 2024)"),
        [("ampere-altra", "timer_10ms")] = new(902, "costs.md §1.5 Altra (Ananta 2024)"),
        // costs.md §1.2: ATC'17 Table 2, split-mode KVM on Seattle at 2.0 GHz: hypercall 6,413 cycles, I/O User
        // 10,012 cycles (an exit to QEMU, the same path as mmio_read_user) [secondary].
        [("amd-seattle", "hvc")] = new(6413 / 2.0, "costs.md §1.2 ATC'17 hypercall 6,413 cycles @ 2 GHz"),
        [("amd-seattle", "mmio_read_user")] = new(10012 / 2.0, "costs.md §1.2 ATC'17 I/O User 10,012 cycles @ 2 GHz"),
    };

    public static Figure? Find(string? machine, string test) =>
        machine is not null && Figures.TryGetValue((machine, test), out var f) ? f : null;
}
