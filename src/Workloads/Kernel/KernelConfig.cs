using IrqBench.Workloads.Parameters;

namespace IrqBench.Workloads.Kernel;

/// <summary>
/// The guest kernel's own choices that change how it schedules, shared by every workload that runs on
/// <see cref="GuestKernel"/>: each lists <see cref="Specs"/> among its parameters and builds its kernel with
/// <see cref="From"/>.
/// </summary>
/// <param name="LlcSize">vCPUs per last-level cache in the topology the VMM describes; 0 when all vCPUs share one.</param>
/// <param name="Sched">Which fair class the guest kernel has.</param>
/// <param name="WakeAffine">sched_features WA_IDLE, WA_WEIGHT and WA_BIAS (all on by default): whether
/// select_task_rq_fair may move a wakee to the waker's CPU.</param>
/// <param name="DelayDequeue">sched_features DELAY_DEQUEUE and DELAY_ZERO (v6.12, on by default; EEVDF only).</param>
public sealed record KernelConfig(int LlcSize, SchedClass Sched, bool WakeAffine = true, bool DelayDequeue = true)
{
    public static readonly IReadOnlyList<ParameterSpec> Specs =
    [
        ParameterSpec.Choice("sched", "eevdf", ["eevdf", "cfs"], "the guest's fair class: EEVDF as in v6.6-v6.12 (lag, eligibility, virtual deadlines, RUN_TO_PARITY), or CFS as before v6.6 (wakeup granularity, sleeper credit)"),
        ParameterSpec.Int("llc", 0, 0, 4096, "vCPUs per last-level cache as the guest's scheduler sees them (sd_llc, cpus_share_cache): 0 = all vCPUs share one, what a guest of QEMU virt or kvmtool with -smp N and no cache description sees (docs/workloads.md); 1 = none share"),
        ParameterSpec.Choice("wake_affine", "on", ["on", "off"], "sched_features WA_IDLE/WA_WEIGHT/WA_BIAS: select_task_rq_fair's wake_affine may place a wakee on the waker's CPU (wake_affine_idle, then wake_affine_weight on PELT loads); off: the wakee's previous CPU is the target of select_idle_sibling"),
        ParameterSpec.Choice("delay_dequeue", "on", ["on", "off"], "sched_features DELAY_DEQUEUE/DELAY_ZERO (v6.12, EEVDF only): a task that sleeps while not eligible stays queued until it is picked or woken; off: v6.6-v6.11"),
    ];

    /// <summary>Every default.</summary>
    public static KernelConfig Default { get; } = new(0, SchedClass.Eevdf);

    public static KernelConfig From(WorkloadParameters p) =>
        new(p.GetInt("llc"), p.GetString("sched") == "cfs" ? SchedClass.Cfs : SchedClass.Eevdf,
            p.GetString("wake_affine") == "on", p.GetString("delay_dequeue") == "on");

    /// <summary>The fair class this configuration names, for a guest of <paramref name="cpus"/> vCPUs.</summary>
    public FairClass CreateFairClass(Machine.Costs.CostProfile p, int cpus) =>
        Sched == SchedClass.Cfs ? new Cfs(p, cpus) : new Eevdf(p, cpus, delayDequeue: DelayDequeue);
}

/// <summary>The fair scheduling class of the guest kernel's generation.</summary>
public enum SchedClass { Eevdf, Cfs }
