using IrqBench.Gicv3.CpuInterface;
using IrqBench.Gicv3.Distributor;
using IrqBench.Gicv3.Its;
using IrqBench.Gicv3.Vgic;
using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Traps;

namespace IrqBench.Gicv3.Trust;

/// <summary>
/// What the trusted part of an organisation must implement for a GICv3 design, counted from the model itself: the
/// design is attached to a one-vCPU VM (every cost zero) and the trap router, the register tables of its frames, the
/// ITS command dispatch and the state types are read. Under VHE and nVHE the whole host is trusted, the VMM
/// included; under pKVM only what is placed at EL2 — for the GICv3 the hyp vCPU's copy of the CPU interface state
/// (the list registers EL2 saves and restores) and, where ICC accesses trap, their fast-path emulation.
/// </summary>
internal static class Gicv3TrustedSurface
{
    /// <summary>One kind of exit the design causes, where it is handled, and how many guest-visible registers the
    /// handler implements.</summary>
    private readonly record struct ExitKind(string Name, Placement Placement, int Registers);

    public static TrustedSurface Compute(string design, Gicv3Config config, Organisation organisation)
    {
        var gic = new Gicv3Controller(config, design);
        var vm = new VirtualMachine(DryProfile(organisation), 1, 0, gic);
        var kinds = ExitKinds(vm, gic, config).ToList();
        bool Trusted(Placement p) => organisation != Organisation.Pkvm || p == Placement.El2;

        var trusted = kinds.Where(k => Trusted(k.Placement)).ToList();
        bool hostTrusted = Trusted(Placement.HostKernel);
        var its = gic.Its;
        int itsCommands = hostTrusted && its is not null ? VgicIts.CommandsServed.Count : 0;

        // Per vCPU: vgic_cpu, its private vgic_irqs, and the vgic_v3_cpu_if; at pKVM's EL2 only the cpu_if copy.
        int perVcpu = hostTrusted
            ? StateFields.Count(typeof(VgicCpu)) + StateFields.Count(typeof(VgicIrq)) + StateFields.Count(typeof(VirtualCpuInterface))
            : StateFields.CountAtEl2(typeof(VgicCpu)) + StateFields.Count(typeof(VirtualCpuInterface));
        // Per VM: vgic_dist, the SPIs' and LPIs' vgic_irqs, the ITS and its devices, ITEs and collections.
        Type[] vmTypes = its is null
            ? [typeof(VgicDist), typeof(VgicIrq)]
            : [typeof(VgicDist), typeof(VgicIrq), typeof(VgicIts), typeof(ItsDevice), typeof(ItsIte), typeof(ItsCollection)];
        int perVm = hostTrusted ? vmTypes.Sum(StateFields.Count) : 0;

        string notes = $"trusted: {Describe(trusted)}; forwarded: {Describe(kinds.Where(k => !Trusted(k.Placement)))}; "
                       + $"ICC registers served by the CPU interface (no software): "
                       + $"{IccSysRegs.Registers.Count(r => vm.Router.FindSysreg(r.Reg) is { Trapped: false })}";
        return new TrustedSurface(design, Name(organisation),
            GuestRegisters: trusted.Sum(k => k.Registers),
            Hypercalls: HypercallsServed(vm.Router, trusted: Trusted),
            ItsCommands: itsCommands,
            PerVcpuStateFields: perVcpu,
            PerVmStateFields: perVm,
            ExitKindsHandledTrusted: trusted.Count,
            ExitKindsForwarded: kinds.Count - trusted.Count,
            Notes: notes);
    }

    /// <summary>
    /// Every exit the design causes: a data abort on each frame it maps (with that frame's register descriptors), a
    /// system-register trap for each trapped ICC entry (one register each, the SGI generation registers one entry),
    /// v6.19's per-entry DIR trap (handled by the EL2 fast path when it can), and the physical interrupts and WFI,
    /// which always reach the host's run loop.
    /// </summary>
    private static IEnumerable<ExitKind> ExitKinds(VirtualMachine vm, Gicv3Controller gic, Gicv3Config config)
    {
        var router = vm.Router;
        ExitKind Frame(ulong address, int registers)
        {
            var region = router.FindMmio(address) ?? throw new InvalidOperationException($"no frame mapped at 0x{address:X}");
            return new ExitKind(region.TraceLabel, region.Placement, registers);
        }
        yield return Frame(config.DistributorBase, gic.Distributor.File.Descriptors.Count);
        yield return Frame(config.RedistributorBase, gic.Redistributors.RdBase.Descriptors.Count + gic.Redistributors.SgiBase.Descriptors.Count);
        if (gic.Its is { } its) yield return Frame(config.ItsBase, its.File.Descriptors.Count);
        else yield return Frame(config.V2mBase, V2mFrame.Registers.Count);

        var sysregs = IccSysRegs.Registers
            .Select(r => router.FindSysreg(r.Reg))
            .Where(e => e is { Trapped: true })
            .GroupBy(e => (e!.TraceLabel, e.Placement));
        foreach (var g in sysregs) yield return new ExitKind(g.Key.TraceLabel, g.Key.Placement, g.Count());
        if (config.Policy == OverflowPolicy.Kvm619 && config.HasTdir && router.FindSysreg(IccSysRegs.Dir) is { Trapped: false })
            yield return new ExitKind("SYS64 ICC_DIR_EL1 (v6.19 TDIR)", Placement.El2, 1);

        yield return new ExitKind("IRQ (kick)", Placement.HostKernel, 0);
        yield return new ExitKind("IRQ (maintenance)", Placement.HostKernel, 0);
        if (gic.TimerExpiryExits) yield return new ExitKind("IRQ (vtimer)", Placement.HostKernel, 0);
        if (gic.TrapsWfi(vm.Vcpus[0])) yield return new ExitKind("WFx", Placement.HostKernel, 0);
    }

    /// <summary>SMCCC function IDs the design serves (fast calls, both conventions, every owner, functions 0-255):
    /// the GICv3 maps none.</summary>
    private static int HypercallsServed(TrapRouter router, Func<Placement, bool> trusted)
    {
        int n = 0;
        foreach (uint convention in (uint[])[0x8000_0000, 0xC000_0000])
            for (uint owner = 0; owner < 64; owner++)
                for (uint fn = 0; fn < 256; fn++)
                    if (router.FindHvc(convention | owner << 24 | fn) is { } r && trusted(r.Placement)) n++;
        return n;
    }

    private static string Describe(IEnumerable<ExitKind> kinds) =>
        string.Join(", ", kinds.Select(k => k.Registers switch
        {
            0 => k.Name,
            1 => $"{k.Name} (1 register)",
            _ => $"{k.Name} ({k.Registers} registers)",
        })) is { Length: > 0 } s ? s : "nothing";

    private static string Name(Organisation o) => o switch
    {
        Organisation.Vhe => "vhe",
        Organisation.Nvhe => "nvhe",
        _ => "pkvm",
    };

    /// <summary>A profile in which every primitive the machine and the GICv3 charge under <paramref name="o"/> costs
    /// nothing: enough to attach the design and read its tables.</summary>
    private static CostProfile DryProfile(Organisation o) =>
        new("trusted-surface", "the design attached only to be counted", 1_000_000_000, o, null,
            MachinePrimitives.Specs.Concat(Gicv3Costs.Specs).Where(s => s.AppliesTo(o))
                .Select(s => new Primitive(s.Section, s.Name, 0, "assumption: not charged, the VM is never run")));
}
