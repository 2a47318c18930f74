using IrqBench.Gicv3.CpuInterface;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Gicv3.Guest;

/// <summary>
/// The smallest guest that exercises the SGI path end to end with raw CPU-interface accesses, no driver around them:
/// vCPU0 writes ICC_SGI1R_EL1 for SGI 1 to vCPU1 and spins until vCPU1's handler (IAR1, flag, EOIR1) has run. The
/// host benchmark times it and the allocation test checks it allocates nothing; both need the same guest.
/// </summary>
public static class SgiPingPong
{
    /// <summary>SGI1R: INTID 1 (bits [27:24]) to Aff0 = 1 in cluster 0 (target list bit 1).</summary>
    private const ulong Sgi1ToVcpu1 = 1UL << 24 | 0b10;

    public sealed class Sender(GuestFlag handled) : IGuestProgram
    {
        public void Start(Vcpu cpu) => Resume(cpu);

        public void Resume(Vcpu cpu)
        {
            handled.Clear();
            cpu.SysregWrite(IccSysRegs.Sgi1r, Sgi1ToVcpu1);
            cpu.SpinUntil(handled);
        }

        public void OnIrq(Vcpu cpu) { }
    }

    /// <summary>Spins with IRQs unmasked; its handler acknowledges, counts, sets the flag and completes.</summary>
    public sealed class Receiver(GuestFlag handled) : IGuestProgram
    {
        private readonly GuestFlag never = new();

        public long Handled { get; private set; }

        public void Start(Vcpu cpu) => cpu.SpinUntil(never);
        public void Resume(Vcpu cpu) => cpu.SpinUntil(never);

        public void OnIrq(Vcpu cpu)
        {
            ulong id = cpu.SysregRead(IccSysRegs.Iar1);
            if (SpecialIntIds.IsSpecial((uint)id)) return;
            Handled++;
            handled.Set(cpu);
            cpu.SysregWrite(IccSysRegs.Eoir1, id);
        }
    }
}
