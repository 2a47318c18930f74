using CsCheck;
using IrqBench.Gicv3.CpuInterface;
using IrqBench.Gicv3.Guest;
using IrqBench.Gicv3.Its;
using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Vcpus;
using C = IrqBench.Gicv3.Its.ItsCommand;
using T = IrqBench.Gicv3.Its.ItsCommandType;

namespace IrqBench.Gicv3.Tests.Its;

/// <summary>
/// Random command streams (valid and invalid) and device writes to GITS_TRANSLATER against a reference model of the
/// ITS tables: nothing throws, an LPI is delivered only after a translation the tables justified and only on a
/// redistributor it was aimed at, never more often than it was translated, and every translation is followed by a
/// delivery unless CLEAR, DISCARD or an unmapping cancelled it.
/// </summary>
public class ItsPropertyTests
{
    private const int Vcpus = 3, Devices = 4, Collections = 4;

    public readonly record struct Op(int Kind, int A, int B, int C);

    private static readonly Gen<Op> GenOp = Gen.Select(Gen.Int[0, 11], Gen.Int[0, 255], Gen.Int[0, 255], Gen.Int[0, 255], (k, a, b, c) => new Op(k, a, b, c));
    private static readonly Gen<(Op[], (long, int, int)[])> GenScenario =
        Gen.Select(GenOp.Array[1, 60], Gen.Select(Gen.Long[0, 2_000_000], Gen.Int[0, Devices - 1], Gen.Int[0, 9]).Array[0, 20]);

    [Fact]
    public void Translations_are_justified_by_the_tables_and_delivered_exactly_once() =>
        GenScenario.Sample((ops, msis) => Run(ops, msis), iter: IrqBench.Tests.PropertySize.Samples(200, opsPerSample: 30.5 + 10));

    /// <summary>The reference model: KVM's tables, kept as simply as possible.</summary>
    private sealed class Model
    {
        public sealed class Coll { public int Target = -1; public bool Mapped => Target >= 0; }
        public sealed class Lpi { public int Target = -1; public int Raises, Deliveries; public bool MustDeliver; public HashSet<int> Allowed = []; public bool Mapped = true; }
        public readonly Dictionary<int, int> DeviceBits = new();
        public readonly Dictionary<(int Dev, int Ev), (Coll Coll, uint Lpi)> Ites = new();
        public readonly Dictionary<int, Coll> Colls = new();
        public readonly Dictionary<uint, Lpi> Lpis = new();
        public readonly List<string> Violations = [];

        public static uint LpiOf(int dev, int ev) => (uint)(8192 + dev * 16 + ev);

        /// <summary>A device write or INT: what vgic_its_resolve_lpi decides.</summary>
        public void Translate(int dev, int ev)
        {
            if (!Ites.TryGetValue((dev, ev), out var ite) || !ite.Coll.Mapped) return;
            var l = Lpis[ite.Lpi];
            l.Raises++;
            l.MustDeliver = true;
            l.Allowed.Add(l.Target);
        }

        public void Move(Lpi l, int target) { l.Target = target; l.Allowed.Add(target); }

        public void Cancel(Lpi l) => l.MustDeliver = false;
    }

    private static void Run(Op[] ops, (long At, int Dev, int Ev)[] msis)
    {
        var r = new ItsRig(Vcpus, wfi: true);
        var m = new Model();
        // the boot driver's collections 0..2 map to vCPUs 0..2; device 0's table page covers every DeviceID used
        for (int c = 0; c < Vcpus; c++) m.Colls[c] = new Model.Coll { Target = c };
        r.Driver.EnsureDevice(r.Cpu0, 0);
        m.DeviceBits[0] = ItsGuestDriver.DeviceEventBits;

        foreach (var (at, dev, ev) in msis)
            r.Host.At(at, h => { m.Translate(dev, ev); r.Gic.SignalMsi(h, new DeviceId((uint)dev), new MsiMessage(r.Driver.TranslaterAddress, (uint)ev)); });

        foreach (var g in r.Guests)
        {
            g.OnAck = (cpu, id) =>
            {
                if (!m.Lpis.TryGetValue(id, out var l)) { m.Violations.Add($"vcpu{cpu.Id.Value}: INTID {id} was never mapped"); return; }
                if (l.Deliveries >= l.Raises) m.Violations.Add($"vcpu{cpu.Id.Value}: LPI {id} delivered {l.Deliveries + 1} times for {l.Raises} translations");
                if (!l.Allowed.Contains(cpu.Id.Value)) m.Violations.Add($"vcpu{cpu.Id.Value}: LPI {id} delivered on a redistributor it was never aimed at");
                l.Deliveries++;
                l.MustDeliver = false;
                l.Allowed.Clear();
                l.Allowed.Add(l.Target);
            };
        }
        var g0 = r.Guests[0];
        g0.StepGap = 20_000;
        foreach (var op in ops) g0.Steps.Enqueue(c => Do(r, m, c, op));
        g0.Steps.Enqueue(c =>
        {
            // every mapped LPI enabled again, so that whatever is still owed can be delivered
            foreach (var ((dev, ev), ite) in m.Ites)
            {
                r.SetProperty(ite.Lpi, ItsGuestDriver.PropDefault | ItsGuestDriver.PropEnabled);
                r.Cmd(C.Event(T.Inv, (uint)dev, (uint)ev));
            }
        });
        r.Run(200_000_000);

        Assert.True(m.Violations.Count == 0, string.Join("\n", m.Violations));
        foreach (var (id, l) in m.Lpis)
            Assert.False(l.MustDeliver, $"LPI {id} was translated ({l.Raises}x, {l.Deliveries} delivered) and never delivered");
    }

    private static void Do(ItsRig r, Model m, Vcpu cpu, Op op)
    {
        int dev = op.A % Devices, ev = op.B % 10, col = op.C % (Collections + 1), cpuIdx = op.B % (Vcpus + 1);
        switch (op.Kind)
        {
            case 0: // MAPD, sometimes with too many EventID bits, sometimes unmapping
            {
                bool valid = op.C % 5 != 0;
                int bits = op.C % 7 == 0 ? 17 : 1 + op.B % 4;
                r.Cmd(C.Mapd((uint)dev, bits, 0x7000_0000 + (ulong)dev * 0x1000, valid));
                if (valid && bits > 16) break;
                if (m.DeviceBits.Remove(dev)) FreeDevice(m, dev);
                if (valid) m.DeviceBits[dev] = bits;
                break;
            }
            case 1: // MAPC, sometimes to a processor that does not exist, sometimes unmapping
            {
                bool valid = op.A % 5 != 0;
                r.Cmd(C.Mapc((uint)col, (uint)cpuIdx, valid));
                if (cpuIdx >= Vcpus) break; // RDbase is checked before V
                if (!valid)
                {
                    if (m.Colls.Remove(col, out var gone)) gone.Target = -1;
                    break;
                }
                if (m.Colls.TryGetValue(col, out var c))
                {
                    c.Target = cpuIdx;
                    foreach (var ite in m.Ites.Values)
                        if (ite.Coll == c) m.Move(m.Lpis[ite.Lpi], cpuIdx);
                }
                else m.Colls[col] = new Model.Coll { Target = cpuIdx };
                break;
            }
            case 2: // MAPTI
            {
                uint lpi = Model.LpiOf(dev, ev);
                r.Cmd(C.Mapti((uint)dev, (uint)ev, lpi, (uint)col));
                if (!m.DeviceBits.TryGetValue(dev, out int bits) || ev >= 1 << bits || m.Ites.ContainsKey((dev, ev))) break;
                if (!m.Colls.TryGetValue(col, out var c)) m.Colls[col] = c = new Model.Coll();
                m.Ites[(dev, ev)] = (c, lpi);
                var l = m.Lpis.TryGetValue(lpi, out var old) && old.Mapped ? old : m.Lpis[lpi] = new Model.Lpi();
                l.Mapped = true;
                m.Move(l, c.Target);
                break;
            }
            case 3: // MOVI
            {
                r.Cmd(C.Movi((uint)dev, (uint)ev, (uint)col));
                if (!m.Ites.TryGetValue((dev, ev), out var ite) || !ite.Coll.Mapped) break;
                if (!m.Colls.TryGetValue(col, out var c) || !c.Mapped) break;
                m.Ites[(dev, ev)] = (c, ite.Lpi);
                m.Move(m.Lpis[ite.Lpi], c.Target);
                break;
            }
            case 4: // DISCARD
            {
                r.Cmd(C.Event(T.Discard, (uint)dev, (uint)ev));
                if (!m.Ites.TryGetValue((dev, ev), out var ite) || !ite.Coll.Mapped) break;
                m.Ites.Remove((dev, ev));
                Unmap(m, ite.Lpi);
                break;
            }
            case 5: // INT
                m.Translate(dev, ev);
                r.Cmd(C.Event(T.Int, (uint)dev, (uint)ev));
                break;
            case 6: // CLEAR
            {
                r.Cmd(C.Event(T.Clear, (uint)dev, (uint)ev));
                if (m.Ites.TryGetValue((dev, ev), out var ite)) m.Cancel(m.Lpis[ite.Lpi]);
                break;
            }
            case 7: // a property change, made visible by INV or INVALL
            {
                uint lpi = Model.LpiOf(dev, ev);
                r.SetProperty(lpi, (byte)(ItsGuestDriver.PropDefault | (op.C & 1)));
                r.Cmd(op.C % 4 < 2 ? C.Event(T.Inv, (uint)dev, (uint)ev) : C.Invall((uint)col));
                break;
            }
            case 8: // MOVALL
            {
                int from = op.A % (Vcpus + 1), to = op.C % Vcpus;
                r.Cmd(C.Movall((uint)from, (uint)to));
                if (from >= Vcpus || from == to) break;
                foreach (var l in m.Lpis.Values)
                    if (l.Mapped && l.Target == from) m.Move(l, to);
                break;
            }
            case 9: // SYNC, and garbage the ITS ignores
                r.Cmd(op.C % 2 == 0 ? C.Sync((uint)cpuIdx) : new C(0x40 | (ulong)(op.C & 0x1F), (ulong)op.A << 32, (ulong)op.B, 0));
                break;
            case 10: // a device write now
                m.Translate(dev, ev);
                r.Gic.SignalMsi(r.Vm.Host(cpu.Now), new DeviceId((uint)dev), new MsiMessage(r.Driver.TranslaterAddress, (uint)ev));
                break;
            default: // the guest masks its IRQs for a while on some CPU (no effect on the ITS)
                r.Vm.Vcpus[op.A % Vcpus].SysregWrite(IccSysRegs.Pmr, op.C % 2 == 0 ? 0xF0UL : 0xF8UL);
                break;
        }
    }

    private static void FreeDevice(Model m, int dev)
    {
        foreach (var key in m.Ites.Keys.Where(k => k.Dev == dev).ToList())
        {
            var lpi = m.Ites[key].Lpi;
            m.Ites.Remove(key);
            Unmap(m, lpi);
        }
    }

    /// <summary>The last ITE of an LPI went: its pending state goes (a copy already in a list register may still be
    /// taken: that is allowed, not owed).</summary>
    private static void Unmap(Model m, uint lpi)
    {
        var l = m.Lpis[lpi];
        l.Mapped = false;
        m.Cancel(l);
    }
}
