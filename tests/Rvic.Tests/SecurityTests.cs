using CsCheck;
using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Rvic.Abi;
using IrqBench.Rvic.Instance;
using IrqBench.Rvic.Variants;

namespace IrqBench.Rvic.Tests;

/// <summary>
/// The property the design exists for (rvic.md §4, §6.9): the untrusted side (host kernel and VMM) can only assert
/// rVID inputs. Whatever inputs and MSI writes it sends (and, on rvic-level, line levels), it never makes a trusted
/// INTID pending, never reaches a (vCPU, INTID) the guest did not map, and never changes a mask bit, an enabled flag,
/// the rVID table or (rvic-prio) a priority, a priority mask or an active state. On every variant.
/// </summary>
public class SecurityTests
{
    private const int Cpus = 3;

    /// <summary>What the guest set up: per step a hypercall (function, caller, target vCPU, INTID, input).</summary>
    private static readonly Gen<(uint Fn, int Cpu, int Target, uint Intid, uint Input)[]> GuestSetup =
        Gen.Select(
            Gen.OneOf(RvicFunctions.Enable, RvicFunctions.Disable, RvicFunctions.SetMasked, RvicFunctions.ClearMasked,
                RvicFunctions.Signal, RvidFunctions.Map, RvidFunctions.Map, RvidFunctions.Unmap),
            Gen.Int[0, Cpus - 1], Gen.Int[0, Cpus], Gen.UInt[0, 130], Gen.UInt[0, 100])
        .Array[0, 60];

    /// <summary>What the untrusted side sends: any input number, any MSI write (doorbell or not, any data), or any line
    /// level on any input (kind 0 input, 1 MSI, 2 line high, 3 line low).</summary>
    private static readonly Gen<(int Kind, bool Doorbell, ulong Value)[]> Untrusted =
        Gen.Select(Gen.Int[0, 3], Gen.Bool, Gen.OneOf(Gen.ULong[0, 130], Gen.ULong)).Array[1, 300];

    public static TheoryData<Organisation, string> Cases() => PropertyTests.Cases();

    [Theory, MemberData(nameof(Cases))]
    public void The_untrusted_side_can_only_raise_the_untrusted_intids_the_guest_mapped(Organisation org, string variant)
    {
        Seeded.ForAll(Gen.Select(GuestSetup, Untrusted), IrqBench.Tests.PropertySize.Samples(200, opsPerSample: 30 + 150.5), t =>
        {
            var (setup, attack) = t;
            var rig = new Rig(Cpus, org, variant: Rig.VariantNamed(variant));
            foreach (var (fn, cpu, target, intid, input) in setup)
            {
                ulong mpidr = target < Cpus ? rig.Mpidr(target) : Rig.UnknownMpidr;
                if (fn == RvidFunctions.Map) rig.Call(cpu, fn, input, mpidr, intid);
                else if (fn == RvidFunctions.Unmap) rig.Call(cpu, fn, input);
                else rig.Call(cpu, fn, mpidr, intid);
            }
            var before = Snapshot(rig);
            var mapped = MappedDestinations(rig);

            foreach (var (kind, doorbell, value) in attack)
            {
                if (kind == 1) rig.Controller.SignalMsi(rig.Vm.Host(0), new DeviceId(9), new MsiMessage(doorbell ? rig.Controller.MsiDoorbell : value, (uint)value));
                else if (kind == 0) rig.AssertInput(value);
                else rig.SetInputLevel(value, kind == 2);
            }

            var after = Snapshot(rig);
            Assert.Equal(before.Enabled, after.Enabled);
            Assert.Equal(before.Masked, after.Masked);
            Assert.Equal(before.Routes, after.Routes);
            Assert.Equal(before.Priorities, after.Priorities);
            for (int v = 0; v < Cpus; v++)
                for (int i = 0; i < rig.Config.NrTotal; i++)
                {
                    if (before.Pending[v][i] || !after.Pending[v][i]) continue;
                    Assert.False(i < rig.Config.NrTrusted, $"vCPU{v}: the untrusted side made trusted INTID {i} pending");
                    Assert.True(mapped.Contains((v, i)), $"the untrusted side reached vCPU{v} INTID {i}, which the guest never mapped");
                }
        });
    }

    private static (bool[] Enabled, bool[] Masked, bool[][] Pending, (bool, int, int)[] Routes, int[] Priorities) Snapshot(Rig rig)
    {
        int total = rig.Config.NrTotal;
        var enabled = Enumerable.Range(0, Cpus).Select(v => rig.Instance(v).Enabled).ToArray();
        var masked = Enumerable.Range(0, Cpus).SelectMany(v => Enumerable.Range(0, total).Select(i => rig.Instance(v).IsMasked(i))).ToArray();
        var pending = Enumerable.Range(0, Cpus).Select(v => Enumerable.Range(0, total).Select(i => rig.Instance(v).IsPending(i)).ToArray()).ToArray();
        var routes = Enumerable.Range(0, rig.Controller.Rvid.InputCount)
            .Select(i => rig.Controller.Rvid.TryRoute((ulong)i, out var r) ? (true, r.Vcpu, r.Intid) : (false, 0, 0)).ToArray();
        // rvic-prio: every priority, active bit, mask and running priority, flattened; empty elsewhere.
        var priorities = Enumerable.Range(0, Cpus).Select(rig.Instance).OfType<PriorityInstance>()
            .SelectMany(p => Enumerable.Range(0, total).SelectMany(i => new[] { p.PriorityOf(i), p.IsActive(i) ? 1 : 0 })
                .Append(p.PriorityMask).Append(p.RunningPriority)).ToArray();
        return (enabled, masked, pending, routes, priorities);
    }

    private static HashSet<(int, int)> MappedDestinations(Rig rig) =>
        Enumerable.Range(0, rig.Controller.Rvid.InputCount)
            .Select(i => rig.Controller.Rvid.TryRoute((ulong)i, out var r) ? (r.Vcpu, r.Intid) : (-1, -1))
            .Where(d => d.Item1 >= 0).ToHashSet();
}
