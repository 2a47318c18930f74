using IrqBench.Machine.Metrics;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Machine.Ideal;

/// <summary>
/// The lower bound every report shows beside the real designs (DESIGN §3): interrupts are delivered to the vCPU's
/// IRQ input with no trap and no hypervisor work, acknowledged and completed for free. What remains is what no
/// controller can remove: the guest's own exception entry, WFI halting and wake-up, and the work itself.
/// </summary>
/// <remarks>Vectors: 0–15 IPIs, 16 the virtual timer, 32 and up device vectors. Delivery order is lowest vector
/// first.</remarks>
public sealed class IdealController : IIrqController, IrqBench.Machine.Simulation.IEventTarget
{
    public const int TimerVector = 16, FirstDeviceVector = 32, VectorCount = 1024;

    /// <summary>Ideal MSIs carry the target and vector in the data word: target vCPU in [31:16], vector in [15:0].</summary>
    public const ulong MsiDoorbell = 0x0800_0000;

    private VirtualMachine vm = null!;

    public string Name => "ideal";
    public bool TimerExpiryExits => false;

    public static readonly IReadOnlyList<PrimitiveSpec> Primitives = [];

    internal sealed class CpuState
    {
        public readonly ulong[] Pending = new ulong[VectorCount / 64];
        public readonly ulong[] Enabled = new ulong[VectorCount / 64];
        public readonly IrqOrigin[] Origin = new IrqOrigin[VectorCount];
        public readonly IrqOrigin[] InFlight = new IrqOrigin[VectorCount]; // raised by a sender ahead of the clock
    }

    public void Attach(VirtualMachine vm)
    {
        this.vm = vm;
        foreach (var v in vm.Vcpus) v.ControllerState = new CpuState();
    }

    private static CpuState S(Vcpu v) => (CpuState)v.ControllerState!;

    public void OnGuestExit(Vcpu cpu) { }
    public void OnGuestEntry(Vcpu cpu) { }

    public bool IrqLineAsserted(Vcpu cpu) => FirstDeliverable(S(cpu)) >= 0;
    public bool HasPendingForWake(Vcpu cpu) => IrqLineAsserted(cpu);

    public int PendingInterrupts(Vcpu cpu)
    {
        int n = 0;
        foreach (ulong w in S(cpu).Pending) n += System.Numerics.BitOperations.PopCount(w);
        return n;
    }

    public void OnVirtualTimerExpired(Vcpu cpu) => Raise(cpu, cpu, TimerVector);

    public void SignalMsi(HostContext host, DeviceId device, MsiMessage msi)
    {
        vm.Metrics.MsisSignalled.Value++;
        int target = (int)(msi.Data >> 16), vector = (int)(msi.Data & 0xFFFF);
        if (msi.Address != MsiDoorbell || target >= vm.Vcpus.Count || vector >= VectorCount) return; // a stray write goes nowhere
        Raise(host, vm.Vcpus[target], vector);
    }

    /// <summary>Makes <paramref name="vector"/> pending on <paramref name="target"/> and tells its IRQ input, at the
    /// sender's time: a sender whose burst runs ahead of the event queue posts the edge, so that the target cannot
    /// see it before it was sent (DESIGN §4: cross-CPU effects are events at the cursor's time).</summary>
    internal void Raise(ExecContext from, Vcpu target, int vector)
    {
        var origin = vm.Raise(from);
        if (!ReferenceEquals(from, target) && from.Now > vm.Queue.Now)
        {
            S(target).InFlight[vector] = origin;
            vm.Queue.Post(from.Now, this, 0, ((long)target.Id.Value << 16) | (uint)vector);
            return;
        }
        RaiseNow(from, target, vector, origin);
    }

    public void OnEvent(int kind, long arg)
    {
        var target = vm.Vcpus[(int)(arg >> 16)];
        int vector = (int)(arg & 0xFFFF);
        RaiseNow(vm.Host(vm.Queue.Now), target, vector, S(target).InFlight[vector]);
    }

    private void RaiseNow(ExecContext from, Vcpu target, int vector, IrqOrigin origin)
    {
        var s = S(target);
        ref ulong word = ref s.Pending[vector >> 6];
        ulong bit = 1UL << (vector & 63);
        if ((word & bit) != 0) return; // an edge on an already pending vector merges into it: nothing new to see
        s.Origin[vector] = origin;
        word |= bit;
        if ((s.Enabled[vector >> 6] & bit) != 0) vm.NotifyIrqLine(from, target);
    }

    internal void SetEnabled(Vcpu cpu, int vector, bool enabled)
    {
        var s = S(cpu);
        ulong bit = 1UL << (vector & 63);
        if (enabled) s.Enabled[vector >> 6] |= bit; else s.Enabled[vector >> 6] &= ~bit;
        // Enabling shows the vCPU a vector that was already pending; otherwise its line did not change.
        if (enabled && (s.Pending[vector >> 6] & bit) != 0) vm.NotifyIrqLine(cpu, cpu);
    }

    /// <summary>Acknowledge: the lowest deliverable vector stops being pending; -1 when none (spurious).</summary>
    internal int Acknowledge(Vcpu cpu)
    {
        var s = S(cpu);
        int v = FirstDeliverable(s);
        if (v < 0) return -1;
        s.Pending[v >> 6] &= ~(1UL << (v & 63));
        var kind = v < 16 ? IrqKind.Ipi : v == TimerVector ? IrqKind.Timer : v >= FirstDeviceVector ? IrqKind.Msi : IrqKind.Other;
        vm.Deliver(cpu, kind, s.Origin[v], s.Origin[v].At); // the hardware signals at once: injected as raised
        return v;
    }

    private static int FirstDeliverable(CpuState s)
    {
        for (int i = 0; i < s.Pending.Length; i++)
        {
            ulong w = s.Pending[i] & s.Enabled[i];
            if (w != 0) return i * 64 + System.Numerics.BitOperations.TrailingZeroCount(w);
        }
        return -1;
    }
}
