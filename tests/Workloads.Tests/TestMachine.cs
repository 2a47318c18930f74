using IrqBench.Machine;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Ideal;
using IrqBench.Workloads.Kernel;
using IrqBench.Workloads.Parameters;

namespace IrqBench.Workloads.Tests;

/// <summary>The repository's altra-vhe profile (its machine and guest sections) and VMs on the ideal controller.</summary>
internal static class TestMachine
{
    private static readonly Lazy<CostProfile> profile = new(Load);

    public static CostProfile Profile => profile.Value;

    /// <summary>Only the sections this project reads: the profile file also holds the controllers' sections, which
    /// other projects declare.</summary>
    private static CostProfile Load()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "IrqBench.sln"))) dir = dir.Parent;
        string path = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), "profiles", "altra-vhe.json");
        return ProfileLoader.LoadFileForSections(path, [.. MachinePrimitives.Specs, .. GuestCosts.Specs]);
    }

    public static RunSpec Spec(IWorkload w, int vcpus, ulong seed = 1, params (string Key, string Value)[] sets) =>
        new(IdealGuestIrqChip.Kit, Profile, vcpus, seed,
            WorkloadParameters.Create(w.Name, w.Parameters, sets.Select(s => KeyValuePair.Create(s.Key, s.Value))));

    /// <summary>A VM of <paramref name="vcpus"/> on the ideal controller running the guest kernel; <paramref name="boot"/>
    /// creates the first tasks once every vCPU is online.</summary>
    public static (VirtualMachine Vm, GuestKernel Kernel) Kernel(int vcpus, Action<GuestKernel, Machine.Vcpus.Vcpu> boot,
        KernelConfig? config = null)
    {
        var kit = IdealGuestIrqChip.Kit;
        var vm = new VirtualMachine(Profile, vcpus, 1, kit.CreateController());
        var k = new GuestKernel(vm, kit.CreateGuestChip(vm), boot, config: config);
        vm.Boot(_ => k);
        return (vm, k);
    }

    public static long Ms(double ms) => Profile.NsToCycles(ms * 1e6);
}
