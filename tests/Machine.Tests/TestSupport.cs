using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Machine.Tests;

/// <summary>The repository's profiles, reduced to the machine section (the controllers' and guest's sections are
/// validated by their own projects and by the Harness).</summary>
internal static class TestProfiles
{
    public static string RepoRoot
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "IrqBench.sln"))) return d.FullName;
            throw new InvalidOperationException("repository root not found");
        }
    }

    public static CostProfile Load(string name)
    {
        return ProfileLoader.LoadFileForSections(Path.Combine(RepoRoot, "profiles", name + ".json"), MachinePrimitives.Specs);
    }
}

/// <summary>A controller the test drives directly: per vCPU a count of pending interrupts, which (as with list
/// registers) the vCPU's IRQ line only shows after its next entry; an acknowledge takes one. Records the hooks the
/// machine calls.</summary>
internal sealed class ScriptedController : IIrqController
{
    public int[] Pending = [];
    public int[] Visible = [];
    public int Exits, Entries, TimerExpiries;
    public bool TimerExits = true;
    public VirtualMachine Vm = null!;

    public string Name => "scripted";
    public bool TimerExpiryExits => TimerExits;

    public void Attach(VirtualMachine vm) { Vm = vm; Pending = new int[vm.Vcpus.Count]; Visible = new int[vm.Vcpus.Count]; }
    public void OnGuestExit(Vcpu cpu) => Exits++;
    public void OnGuestEntry(Vcpu cpu) { Entries++; Visible[cpu.Id.Value] = Pending[cpu.Id.Value]; }
    public bool IrqLineAsserted(Vcpu cpu) => Visible[cpu.Id.Value] > 0;
    public bool HasPendingForWake(Vcpu cpu) => Pending[cpu.Id.Value] > 0;
    public void OnVirtualTimerExpired(Vcpu cpu) { TimerExpiries++; Pending[cpu.Id.Value]++; }
    public void SignalMsi(HostContext host, DeviceId device, MsiMessage msi) { }

    /// <summary>Makes an interrupt pending on <paramref name="target"/> from <paramref name="from"/> and kicks it, as
    /// a software-injecting controller does.</summary>
    public void Inject(ExecContext from, Vcpu target)
    {
        Pending[target.Id.Value]++;
        Vm.Kick(from, target);
    }

    public bool Acknowledge(Vcpu cpu)
    {
        if (Visible[cpu.Id.Value] == 0) return false;
        Pending[cpu.Id.Value]--;
        Visible[cpu.Id.Value]--;
        return true;
    }
}

/// <summary>A guest program made of delegates, with a log of what happened when.</summary>
internal sealed class ScriptedProgram : IGuestProgram
{
    public Action<Vcpu>? OnStart, OnResume, OnInterrupt;
    public readonly List<(string What, long At)> Log = [];

    public void Start(Vcpu cpu) { Log.Add(("start", cpu.Now)); OnStart!(cpu); }
    public void Resume(Vcpu cpu) { Log.Add(("resume", cpu.Now)); if (OnResume is null) cpu.Stop(); else OnResume(cpu); }
    public void OnIrq(Vcpu cpu) { Log.Add(("irq", cpu.Now)); OnInterrupt?.Invoke(cpu); }
}
