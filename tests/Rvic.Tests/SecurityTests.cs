using CsCheck;
using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Rvic.Abi;

namespace IrqBench.Rvic.Tests;

/// <summary>
/// The property the design exists for (rvic.md §4, §6.9): the untrusted side (host kernel and VMM) can only assert
/// rVID inputs. Whatever inputs and MSI writes it sends, it never makes a trusted INTID pending, never reaches a
/// (vCPU, INTID) the guest did not map, and never changes a mask bit, an enabled flag or the rVID table.
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

    /// <summary>What the untrusted side sends: any input number, or any MSI write (doorbell or not, any data).</summary>
    private static readonly Gen<(bool Msi, bool Doorbell, ulong Value)[]> Untrusted =
        Gen.Select(Gen.Bool, Gen.Bool, Gen.OneOf(Gen.ULong[0, 130], Gen.ULong)).Array[1, 300];

    [Theory]
    [InlineData(Organisation.Vhe)]
    [InlineData(Organisation.Pkvm)]
    public void The_untrusted_side_can_only_raise_the_untrusted_intids_the_guest_mapped(Organisation org)
    {
        Seeded.ForAll(Gen.Select(GuestSetup, Untrusted), 200, t =>
        {
            var (setup, attack) = t;
            var rig = new Rig(Cpus, org);
            foreach (var (fn, cpu, target, intid, input) in setup)
            {
                ulong mpidr = target < Cpus ? rig.Mpidr(target) : Rig.UnknownMpidr;
                if (fn == RvidFunctions.Map) rig.Call(cpu, fn, input, mpidr, intid);
                else if (fn == RvidFunctions.Unmap) rig.Call(cpu, fn, input);
                else rig.Call(cpu, fn, mpidr, intid);
            }
            var before = Snapshot(rig);
            var mapped = MappedDestinations(rig);

            foreach (var (msi, doorbell, value) in attack)
            {
                if (msi) rig.Controller.SignalMsi(rig.Vm.Host(0), new DeviceId(9), new MsiMessage(doorbell ? RvicConfig.MsiDoorbell : value, (uint)value));
                else rig.AssertInput(value);
            }

            var after = Snapshot(rig);
            Assert.Equal(before.Enabled, after.Enabled);
            Assert.Equal(before.Masked, after.Masked);
            Assert.Equal(before.Routes, after.Routes);
            for (int v = 0; v < Cpus; v++)
                for (int i = 0; i < rig.Config.NrTotal; i++)
                {
                    if (before.Pending[v][i] || !after.Pending[v][i]) continue;
                    Assert.False(i < rig.Config.NrTrusted, $"vCPU{v}: the untrusted side made trusted INTID {i} pending");
                    Assert.True(mapped.Contains((v, i)), $"the untrusted side reached vCPU{v} INTID {i}, which the guest never mapped");
                }
        });
    }

    private static (bool[] Enabled, bool[] Masked, bool[][] Pending, (bool, int, int)[] Routes) Snapshot(Rig rig)
    {
        int total = rig.Config.NrTotal;
        var enabled = Enumerable.Range(0, Cpus).Select(v => rig.Instance(v).Enabled).ToArray();
        var masked = Enumerable.Range(0, Cpus).SelectMany(v => Enumerable.Range(0, total).Select(i => rig.Instance(v).IsMasked(i))).ToArray();
        var pending = Enumerable.Range(0, Cpus).Select(v => Enumerable.Range(0, total).Select(i => rig.Instance(v).IsPending(i)).ToArray()).ToArray();
        var routes = Enumerable.Range(0, rig.Controller.Rvid.InputCount)
            .Select(i => rig.Controller.Rvid.TryRoute((ulong)i, out var r) ? (true, r.Vcpu, r.Intid) : (false, 0, 0)).ToArray();
        return (enabled, masked, pending, routes);
    }

    private static HashSet<(int, int)> MappedDestinations(Rig rig) =>
        Enumerable.Range(0, rig.Controller.Rvid.InputCount)
            .Select(i => rig.Controller.Rvid.TryRoute((ulong)i, out var r) ? (r.Vcpu, r.Intid) : (-1, -1))
            .Where(d => d.Item1 >= 0).ToHashSet();
}
