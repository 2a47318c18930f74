using CsCheck;
using IrqBench.Gicv3.CpuInterface;
using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Vcpus;
using D = IrqBench.Gicv3.Registers.Gicd;
using R = IrqBench.Gicv3.Registers.Gicr;

namespace IrqBench.Gicv3.Tests.Vgic;

/// <summary>
/// Random streams of SGIs (target lists and IRM), SPIs raised by the host, software pends, enables and disables,
/// priority and PMR changes and group enables, with guests acknowledging and completing on three vCPUs and only two
/// list registers: no edge is delivered twice, none is lost, and nothing disabled or masked is delivered.
/// </summary>
public class DeliveryPropertyTests
{
    private const int Vcpus = 3, Sgis = 4, SpisPerVcpu = 2, FirstSpi = 40;

    /// <summary>An operation a vCPU performs on its own interrupts (or sends): kind, interrupt/target, value.</summary>
    public readonly record struct Op(int Kind, int A, int B);

    /// <summary>The host raising SPI <paramref name="Spi"/> (an index) at <paramref name="Time"/>.</summary>
    public readonly record struct Raise(long Time, int Spi);

    private static readonly Gen<Op> GenOp = Gen.Select(Gen.Int[0, 8], Gen.Int[0, 15], Gen.Int[0, 255], (k, a, b) => new Op(k, a, b));
    private static readonly Gen<Raise> GenRaise = Gen.Select(Gen.Long[0, 400_000], Gen.Int[0, Vcpus * SpisPerVcpu - 1], (t, s) => new Raise(t, s));
    private static readonly Gen<(Op[][], Raise[])> GenScenario =
        Gen.Select(GenOp.Array[0, 25].Array[Vcpus], GenRaise.Array[0, 12]);

    /// <summary>The designs: the GICv3 as KVM runs it on Altra-class hardware, and gicv3-trapall (every ICC access
    /// trapped and emulated by KVM's EL2 fast path, as on the Apple M1).</summary>
    private static Gicv3Config Design(string design, OverflowPolicy policy) => design switch
    {
        "gicv3" => new Gicv3Config { Policy = policy, ListRegisters = 2 },
        "gicv3-trapall" => Gicv3Kit.TrapAllConfig with { Policy = policy, ListRegisters = 2 },
        _ => throw new ArgumentOutOfRangeException(nameof(design), design, "no such design"),
    };

    [Theory]
    [InlineData("gicv3", OverflowPolicy.Kvm612)]
    [InlineData("gicv3", OverflowPolicy.Kvm619)]
    [InlineData("gicv3-trapall", OverflowPolicy.Kvm612)]
    [InlineData("gicv3-trapall", OverflowPolicy.Kvm619)]
    public void Edges_are_delivered_exactly_once_and_never_while_disabled_or_masked(string design, OverflowPolicy policy) =>
        GenScenario.Sample((ops, raises) => Run(Design(design, policy), ops, raises), iter: IrqBench.Tests.PropertySize.Samples(300, opsPerSample: Vcpus * 12.5 + 6));

    /// <summary>
    /// What the guest may legitimately receive, per vCPU and INTID: how often it was raised and delivered, whether a
    /// raise came after the last delivery, enabled, priority; per vCPU its PMR and Group 1 enable. An edge raised
    /// while the interrupt is pending merges with it, but one raised while it waits in a list register may also be
    /// taken separately (KVM cannot see the list register until an exit, and the guest cannot tell the edge did not
    /// come after its acknowledge); so deliveries never outnumber raises, and every raise is followed by a delivery.
    /// </summary>
    private sealed class Model
    {
        public readonly int[,] Raises = new int[Vcpus, 64], Deliveries = new int[Vcpus, 64];
        public readonly bool[,] Pending = new bool[Vcpus, 64]; // raised since the last delivery
        public readonly bool[,] Enabled = new bool[Vcpus, 64];
        public readonly byte[,] Priority = new byte[Vcpus, 64];
        public readonly byte[] Pmr = new byte[Vcpus];
        public readonly bool[] Group1 = new bool[Vcpus];
        public readonly List<string> Violations = [];

        public void Raise(int v, uint id)
        {
            Raises[v, id]++;
            Pending[v, id] = true;
        }
    }

    private static uint SpiOf(int owner, int k) => (uint)(FirstSpi + owner * SpisPerVcpu + k);

    /// <summary>The INTIDs vCPU <paramref name="v"/> owns: its SGIs and the SPIs routed to it.</summary>
    private static IEnumerable<uint> Own(int v)
    {
        for (uint s = 0; s < Sgis; s++) yield return s;
        for (int k = 0; k < SpisPerVcpu; k++) yield return SpiOf(v, k);
    }

    private static void Run(Gicv3Config config, Op[][] ops, Raise[] raises)
    {
        var (vm, gic) = TestVm.Create(Vcpus, config);
        var m = new Model();
        var cpu0 = vm.Vcpus[0];
        cpu0.MmioWrite(TestVm.Gicd(gic, D.Ctlr), 4, D.CtlrEnableGrp1);
        for (int v = 0; v < Vcpus; v++)
        {
            var c = vm.Vcpus[v];
            c.SysregWrite(IccSysRegs.Pmr, 0xF0);
            c.SysregWrite(IccSysRegs.Igrpen1, 1);
            m.Pmr[v] = 0xF0;
            m.Group1[v] = true;
            for (uint s = 0; s < Sgis; s++) m.Enabled[v, s] = true; // KVM resets SGIs enabled
            for (int k = 0; k < SpisPerVcpu; k++)
            {
                uint spi = SpiOf(v, k);
                cpu0.MmioWrite(TestVm.Gicd(gic, D.IRouteR + spi * 8), 8, c.Mpidr.Value);
                cpu0.MmioWrite(TestVm.Gicd(gic, D.ISEnableR + spi / 32 * 4), 4, 1u << (int)(spi % 32));
                m.Enabled[v, spi] = true;
            }
        }
        var host = new HostEvents(vm);
        foreach (var r in raises)
        {
            int owner = r.Spi / SpisPerVcpu;
            uint spi = SpiOf(owner, r.Spi % SpisPerVcpu);
            host.At(r.Time, h => { m.Raise(owner, spi); gic.SetSpiLevel(h, spi, true); });
        }
        vm.Boot(v => new Guest(gic, m, ops[v.Id.Value]));
        vm.Run(2_000_000_000);

        Assert.True(m.Violations.Count == 0, string.Join("\n", m.Violations));
        if (config.BrokenSeis) // every ICC access went through KVM's EL2 emulation, none through the ICV registers
            Assert.Equal((0L, true), (vm.Metrics.Get("gicv3.icv_accesses").Value, vm.Metrics.Get("gicv3.icc_traps").Value > 0));
        for (int v = 0; v < Vcpus; v++)
            foreach (uint id in Own(v))
                Assert.False(m.Pending[v, id], $"vcpu{v}: INTID {id} was raised after its last delivery and never delivered");
    }

    /// <summary>A vCPU that performs its operations, then unmasks and enables everything of its own and waits.</summary>
    private sealed class Guest(Gicv3Controller gic, Model m, Op[] ops) : IGuestProgram
    {
        private int next;
        private bool final;

        public void Start(Vcpu cpu) => Resume(cpu);

        public void Resume(Vcpu cpu)
        {
            int v = cpu.Id.Value;
            if (next < ops.Length)
            {
                Do(cpu, ops[next++]);
                cpu.RunWork(1 + ops[next - 1].B * 40);
                return;
            }
            if (!final)
            {
                final = true;
                cpu.SysregWrite(IccSysRegs.Pmr, 0xFF);
                m.Pmr[v] = 0xF8;
                cpu.SysregWrite(IccSysRegs.Igrpen1, 1);
                m.Group1[v] = true;
                foreach (uint id in Own(v)) SetEnable(cpu, id, true);
            }
            cpu.WaitForInterrupt();
        }

        private void Do(Vcpu cpu, Op op)
        {
            int v = cpu.Id.Value;
            uint own = op.A % (Sgis + SpisPerVcpu) is var i && i < Sgis ? (uint)i : SpiOf(v, (int)(i - Sgis));
            switch (op.Kind)
            {
                case 0: // SGI to a target list (possibly including the sender)
                {
                    uint targets = (uint)(op.B & 0b111);
                    uint sgi = (uint)(op.A % Sgis);
                    for (int t = 0; t < Vcpus; t++) if ((targets & (1u << t)) != 0) m.Raise(t, sgi);
                    cpu.SysregWrite(IccSysRegs.Sgi1r, targets | (ulong)sgi << 24);
                    break;
                }
                case 1: // SGI to everyone else (IRM)
                {
                    uint sgi = (uint)(op.A % Sgis);
                    for (int t = 0; t < Vcpus; t++) if (t != v) m.Raise(t, sgi);
                    cpu.SysregWrite(IccSysRegs.Sgi1r, 1UL << 40 | (ulong)sgi << 24);
                    break;
                }
                case 2:
                    SetEnable(cpu, own, (op.B & 1) != 0);
                    break;
                case 3:
                {
                    byte prio = (byte)(op.B % 31 * 8); // 0xF8 would stay masked even by PMR 0xFF (5 priority bits)
                    ulong reg = own < 32 ? TestVm.Sgi(gic, v, R.IPriorityR + own) : TestVm.Gicd(gic, D.IPriorityR + own);
                    cpu.MmioWrite(reg, 1, prio);
                    m.Priority[v, own] = prio;
                    break;
                }
                case 4:
                {
                    byte pmr = (byte)(op.B switch { < 64 => 0x00, < 128 => 0x80, < 192 => 0xF0, _ => 0xFF });
                    cpu.SysregWrite(IccSysRegs.Pmr, pmr);
                    m.Pmr[v] = (byte)(pmr & 0xF8);
                    break;
                }
                case 5:
                    cpu.SysregWrite(IccSysRegs.Igrpen1, (ulong)(op.B & 1));
                    m.Group1[v] = (op.B & 1) != 0;
                    break;
                case 6: // software pend
                {
                    ulong reg = own < 32 ? TestVm.Sgi(gic, v, R.ISPendR0) : TestVm.Gicd(gic, D.ISPendR + own / 32 * 4);
                    m.Raise(v, own);
                    cpu.MmioWrite(reg, 4, 1u << (int)(own % 32));
                    break;
                }
                default:
                    break; // plain work
            }
        }

        private void SetEnable(Vcpu cpu, uint id, bool enable)
        {
            int v = cpu.Id.Value;
            ulong reg = id < 32
                ? TestVm.Sgi(gic, v, enable ? R.ISEnableR0 : R.ICEnableR0)
                : TestVm.Gicd(gic, (enable ? D.ISEnableR : D.ICEnableR) + id / 32 * 4);
            cpu.MmioWrite(reg, 4, 1u << (int)(id % 32));
            m.Enabled[v, id] = enable;
        }

        public void OnIrq(Vcpu cpu)
        {
            int v = cpu.Id.Value;
            uint id = (uint)cpu.SysregRead(IccSysRegs.Iar1);
            if (SpecialIntIds.IsSpecial(id)) return;
            if (id >= 64) m.Violations.Add($"vcpu{v}: unexpected INTID {id}");
            else
            {
                if (m.Deliveries[v, id] >= m.Raises[v, id])
                    m.Violations.Add($"vcpu{v}: INTID {id} delivered {m.Deliveries[v, id] + 1} times for {m.Raises[v, id]} raises at {cpu.Now}");
                if (!m.Enabled[v, id]) m.Violations.Add($"vcpu{v}: INTID {id} delivered while disabled at {cpu.Now}");
                if (m.Priority[v, id] >= m.Pmr[v]) m.Violations.Add($"vcpu{v}: INTID {id} (priority 0x{m.Priority[v, id]:X2}) delivered through PMR 0x{m.Pmr[v]:X2}");
                if (!m.Group1[v]) m.Violations.Add($"vcpu{v}: INTID {id} delivered with Group 1 disabled");
                m.Pending[v, id] = false;
                m.Deliveries[v, id]++;
            }
            cpu.SysregWrite(IccSysRegs.Eoir1, id);
        }
    }
}
