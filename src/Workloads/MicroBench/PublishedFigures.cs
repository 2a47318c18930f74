namespace IrqBench.Workloads.MicroBench;

/// <summary>
/// Published kvm-unit-tests micro-bench results to compare the model with, by the profile's
/// <c>published_machine</c>. Every figure is from <c>docs/costs.md</c>; these are measurements the model is
/// checked against — a profile may calibrate a primitive on one (its <c>calibrated_on</c>), every other one is a
/// prediction.
/// </summary>
public static class PublishedFigures
{
    /// <summary>The design every published micro-bench figure was measured on: KVM's emulated GICv3 (or the GICv2 of
    /// Seattle, which the gicv3 model's costs stand for there). rVIC and the ideal controller have no published figure.</summary>
    public const string MeasuredDesign = "gicv3";

    public sealed record Figure(double Ns, string Source);

    /// <summary>Every figure of <paramref name="machine"/>, by test name.</summary>
    public static IEnumerable<(string Test, Figure Figure)> For(string? machine) =>
        Figures.Where(kv => kv.Key.Machine == machine).Select(kv => (kv.Key.Test, kv.Value));

    private static readonly Dictionary<(string Machine, string Test), Figure> Figures = new()
    {
        // docs/costs.md §1.5: Ampere Altra (N1 @ 3.0 GHz), Linux v6.12-rc1, R. Ananta 2024-10-29 [verified].
        [("ampere-altra", "hvc")] = new(306, "docs/costs.md §1.5 Altra (Ananta 2024)"),
        [("ampere-altra", "mmio_read_user")] = new(1683, "docs/costs.md §1.5 Altra (Ananta 2024)"),
        [("ampere-altra", "mmio_read_vgic")] = new(451, "docs/costs.md §1.5 Altra (Ananta 2024)"),
        [("ampere-altra", "eoi")] = new(14, "docs/costs.md §1.5 Altra (Ananta 2024)"),
        [("ampere-altra", "timer_10ms")] = new(902, "docs/costs.md §1.5 Altra (Ananta 2024)"),
        // docs/costs.md §1.2, split-mode KVM on Seattle at 2.0 GHz, without the per-exit GICv2 VGIC save of kernels
        // before 4.16: the hypercall of 3,181 cycles (KVM Forum 2017 notes) [secondary], and ATC'17's I/O User
        // 10,012 cycles less the same VGIC-save difference (6,413 - 3,181 = 3,232): 6,780 cycles [derived].
        [("amd-seattle", "hvc")] = new(3181 / 2.0, "docs/costs.md §1.2 split-mode hypercall 3,181 cycles @ 2 GHz (KVM Forum 2017)"),
        [("amd-seattle", "mmio_read_user")] = new(6780 / 2.0, "docs/costs.md §1.2 ATC'17 I/O User 10,012 less the VGIC save, 6,780 cycles @ 2 GHz [derived]"),
    };

    public static Figure? Find(string? machine, string test) =>
        machine is not null && Figures.TryGetValue((machine, test), out var f) ? f : null;
}
