using CsCheck;
using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Costs;
using IrqBench.Rvic.Abi;
using IrqBench.Rvic.Rvid;
using IrqBench.Rvic.Variants;

namespace IrqBench.Rvic.Tests;

/// <summary>
/// Random hypercall streams from several vCPUs, interleaved with host inputs (rVID inputs, MSIs) and timer expiries,
/// against <see cref="ReferenceModel"/>: no exception, every result and every bit of state equal to the model's,
/// nothing acknowledged unless enabled, pending and unmasked, and exactly one delivery per edge; on every variant, each
/// stream also carrying the variant's own calls and host inputs.
/// </summary>
public class PropertyTests
{
    private const int Cpus = 3;
    private static readonly RvicConfig Config = RvicConfig.Default;

    /// <summary>One step. Kind 0: hypercall <see cref="Fn"/> from <see cref="Cpu"/>; 1: host asserts input A1;
    /// 2: MSI with data A1 (A2 = 1: to the doorbell); 3: <see cref="Cpu"/>'s timer fires; 4 (rvic-msi): <see cref="Cpu"/>
    /// stores A1 to the frame's SETINPUT; 5 (rvic-level): the host sets input A1's line to A2.</summary>
    public readonly record struct Step(int Kind, int Cpu, uint Fn, int Target, bool JunkMpidrBits, ulong A1, ulong A2, ulong A3);

    private static readonly uint[] Functions =
    [
        RvicFunctions.Version, RvicFunctions.Info, RvicFunctions.Enable, RvicFunctions.Disable, RvicFunctions.SetMasked,
        RvicFunctions.ClearMasked, RvicFunctions.IsPending, RvicFunctions.Signal, RvicFunctions.ClearPending,
        RvicFunctions.Acknowledge, RvicFunctions.Resample, RvidFunctions.Version, RvidFunctions.Map, RvidFunctions.Unmap,
    ];

    // Few distinct values, so that steps collide on the same INTIDs and inputs; edges of every range included.
    private static readonly Gen<ulong> Intid = Gen.OneOf(
        Gen.ULong[0, 2], Gen.ULong[26, 28], Gen.ULong[31, 34], Gen.ULong[126, 129], Gen.Const(ulong.MaxValue));
    private static readonly Gen<ulong> Input = Gen.OneOf(
        Gen.ULong[0, 2], Gen.ULong[31, 34], Gen.ULong[94, 97], Gen.Const(ulong.MaxValue));

    /// <summary>Priorities around the mask values the driver uses, and the out-of-range 256.</summary>
    private static readonly Gen<ulong> PriorityValue = Gen.OneOf(Gen.Const(0UL), Gen.Const(0x20UL), Gen.Const(0x60UL),
        Gen.Const(0xA0UL), Gen.Const(0xE0UL), Gen.Const(0xFFUL), Gen.Const(0x100UL));

    /// <summary>The variants' calls (rvic.md §12–§15), beside the base ones.</summary>
    private static uint[] FunctionsOf(RvicVariant v) =>
    [
        .. Functions,
        .. v.Has<PriorityExtension>() ? new[] { RvicPrioFunctions.SetPriority, RvicPrioFunctions.SetPriorityMask, RvicPrioFunctions.Eoi, RvicPrioFunctions.Eoi } : [],
        .. v.Has<LevelInputExtension>() ? new[] { RvidLevelFunctions.Resample, RvidLevelFunctions.Resample } : [],
        .. v.Has<MsiFrameExtension>() ? new[] { RvidMsiFunctions.Info } : [],
        .. v.Has<FusedCompletionExtension>() ? new[] { RvicFusedFunctions.CompleteAcknowledge, RvicFusedFunctions.CompleteAcknowledge } : [],
    ];

    private static Gen<Step> HypercallStep(uint[] fns) =>
        Gen.Select(Gen.Int[0, Cpus - 1], Gen.Int[0, fns.Length - 1], Gen.Int[0, Cpus], Gen.Bool, Intid, Input, Intid, PriorityValue)
            .Select((cpu, f, target, junk, intid, input, intid2, prio) => fns[f] switch
            {
                RvicFunctions.Info => new Step(0, cpu, fns[f], target, junk, intid % 3, 0, 0),
                RvidMsiFunctions.Info => new Step(0, cpu, fns[f], target, junk, intid % 4, 0, 0),
                RvicFunctions.Resample or RvicPrioFunctions.Eoi or RvicFusedFunctions.CompleteAcknowledge => new Step(0, cpu, fns[f], target, junk, intid, 0, 0),
                RvicPrioFunctions.SetPriorityMask => new Step(0, cpu, fns[f], target, junk, prio, 0, 0),
                RvicPrioFunctions.SetPriority => new Step(0, cpu, fns[f], target, junk, 0, intid, prio),
                RvidLevelFunctions.Resample => new Step(0, cpu, fns[f], target, junk, input, 0, 0),
                RvidFunctions.Map or RvidFunctions.Unmap => new Step(0, cpu, fns[f], target, junk, input, 0, intid2),
                _ => new Step(0, cpu, fns[f], target, junk, 0, intid, 0),
            });

    private static Gen<Step> HostStep(RvicVariant v) => Gen.OneOf(
    [
        Input.Select(i => new Step(1, 0, 0, 0, false, i, 0, 0)),
        Gen.Select(Input, Gen.Bool).Select((i, doorbell) => new Step(2, 0, 0, 0, false, (uint)i, doorbell ? 1UL : 0, 0)),
        Gen.Int[0, Cpus - 1].Select(c => new Step(3, c, 0, 0, false, 0, 0, 0)),
        .. v.Has<MsiFrameExtension>() ? new[] { Gen.Select(Gen.Int[0, Cpus - 1], Input).Select((c, i) => new Step(4, c, 0, 0, false, (uint)i, 0, 0)) } : [],
        .. v.Has<LevelInputExtension>() ? new[] { Gen.Select(Input, Gen.Bool).Select((i, high) => new Step(5, 0, 0, 0, false, i, high ? 1UL : 0, 0)) } : [],
    ]);

    private static Gen<Step[]> Streams(RvicVariant v) => Gen.Frequency((4, HypercallStep(FunctionsOf(v))), (1, HostStep(v))).Array[50, 400];

    public static TheoryData<Organisation, string> Cases()
    {
        var d = new TheoryData<Organisation, string>();
        foreach (var org in new[] { Organisation.Vhe, Organisation.Pkvm })
            foreach (var v in RvicVariant.All) d.Add(org, v.Name);
        return d;
    }

    [Theory, MemberData(nameof(Cases))]
    public void Random_streams_match_the_reference_model_and_deliver_each_edge_exactly_once(Organisation org, string variant)
    {
        var v = Rig.VariantNamed(variant);
        Seeded.ForAll(Streams(v), IrqBench.Tests.PropertySize.Samples(150, opsPerSample: (50 + 400) / 2.0), steps =>
        {
            var rig = new Rig(Cpus, org, Config, v);
            var model = new ReferenceModel(Cpus, Config, v);
            foreach (var s in steps) Apply(rig, model, s);
            Drain(rig, model);
            for (int v = 0; v < Cpus; v++)
                for (int i = 0; i < Config.NrTotal; i++)
                    Assert.True(model.Delivered[v, i] == model.Edges[v, i] - model.Cancelled[v, i],
                        $"vCPU{v} INTID {i}: {model.Delivered[v, i]} deliveries for {model.Edges[v, i]} edges, {model.Cancelled[v, i]} withdrawn");
            Assert.Equal(SumDelivered(model), rig.Vm.Metrics.IrqsDelivered.Value);
        });
    }

    private static void Apply(Rig rig, ReferenceModel model, Step s)
    {
        switch (s.Kind)
        {
            case 0: Hypercall(rig, model, s); break;
            case 1: rig.AssertInput(s.A1); model.AssertInput(s.A1); break;
            case 2:
                var msi = new MsiMessage(s.A2 == 1 ? rig.Controller.MsiDoorbell : 0x0800_0000, (uint)s.A1);
                rig.Controller.SignalMsi(rig.Vm.Host(0), new DeviceId(1), msi);
                model.Msi(s.A2 == 1, (uint)s.A1);
                break;
            case 3: rig.Controller.OnVirtualTimerExpired(rig[s.Cpu]); model.TimerFires(s.Cpu); break;
            case 4: rig[s.Cpu].MmioWrite(rig.Controller.MsiDoorbell, 4, (uint)s.A1); model.FrameWrite(s.Cpu, (uint)s.A1); break;
            case 5: rig.SetInputLevel(s.A1, s.A2 == 1); model.SetInputLevel(s.A1, s.A2 == 1); break;
        }
        AssertSameState(rig, model, s);
    }

    private static void Hypercall(Rig rig, ReferenceModel model, Step s)
    {
        ulong mpidr = s.Target < Cpus ? rig.Mpidr(s.Target) : Rig.UnknownMpidr;
        if (s.JunkMpidrBits) mpidr |= 1UL << 30; // outside MPIDR_HWID_BITMASK: ignored, as kvm_mpidr_to_vcpu does
        int target = s.Target < Cpus ? s.Target : -1;
        ulong x1 = s.A1, x2 = s.A2, x3 = s.A3;
        bool crossInstance = s.Fn is >= RvicFunctions.SetMasked and <= RvicFunctions.ClearPending or RvicPrioFunctions.SetPriority;
        if (crossInstance) x1 = mpidr;
        if (s.Fn == RvidFunctions.Map) x2 = mpidr;

        bool wasDeliverable = s.Fn == RvicFunctions.Acknowledge && model.CanSignal(s.Cpu);
        int expectedAck = wasDeliverable ? model.Next(s.Cpu) : -1;
        var expected = model.Call(s.Cpu, s.Fn, target, x1, x2, x3);
        var actual = rig.Call(s.Cpu, s.Fn, x1, x2, x3);
        Assert.True(expected == actual, $"{s}: expected {expected}, got {actual}");
        if (s.Fn == RvicFunctions.Acknowledge && actual.Item1.IsSuccess)
            Assert.True(wasDeliverable && (int)actual.Item2 == expectedAck, $"{s}: acknowledged {actual.Item2} while nothing was deliverable");

        // A call that changed the caller's own instance is reflected in its VI as soon as it returns; ACKNOWLEDGE
        // always re-syncs (rvic.md §3.7). A rejected call changes nothing and syncs nothing.
        bool own = !crossInstance || target == s.Cpu;
        // COMPLETE_ACKNOWLEDGE re-syncs as ACKNOWLEDGE does once its argument is accepted.
        bool resyncs = s.Fn == RvicFunctions.Acknowledge || s.Fn == RvicFusedFunctions.CompleteAcknowledge && actual.Item1.Reason != RvicReason.ErrorParameter;
        if (own && (actual.Item1.IsSuccess || resyncs)
            && s.Fn is not (RvidFunctions.Map or RvidFunctions.Unmap or RvicFunctions.Version or RvicFunctions.Info or RvidFunctions.Version
                or RvidMsiFunctions.Info or RvidLevelFunctions.Resample))
            Assert.Equal(model.CanSignal(s.Cpu), rig.Controller.IrqLineAsserted(rig[s.Cpu]));
    }

    private static void AssertSameState(Rig rig, ReferenceModel model, Step s)
    {
        for (int v = 0; v < Cpus; v++)
        {
            var inst = rig.Instance(v);
            Assert.True(model.Enabled[v] == inst.Enabled, $"after {s}: vCPU{v} enabled");
            for (int i = 0; i < Config.NrTotal; i++)
            {
                if (model.Pending[v, i] != inst.IsPending(i) || model.Masked[v, i] != inst.IsMasked(i))
                    Assert.Fail($"after {s}: vCPU{v} INTID {i} model P={model.Pending[v, i]} M={model.Masked[v, i]}, rVIC P={inst.IsPending(i)} M={inst.IsMasked(i)}");
            }
            Assert.Equal(model.CanSignal(v), inst.CanSignal);
            if (model.Prio)
            {
                var p = rig.Prio(v);
                Assert.True(model.Pmr[v] == p.PriorityMask && model.ActiveStack[v].LastOrDefault((-1, 0x100)).Item2 == p.RunningPriority,
                    $"after {s}: vCPU{v} mask {p.PriorityMask} running {p.RunningPriority}, model {model.Pmr[v]}");
                for (int i = 0; i < Config.NrTotal; i++)
                    if (model.Priority[v, i] != p.PriorityOf(i) || model.Active[v, i] != p.IsActive(i))
                        Assert.Fail($"after {s}: vCPU{v} INTID {i} model prio {model.Priority[v, i]} A={model.Active[v, i]}, rVIC {p.PriorityOf(i)} A={p.IsActive(i)}");
            }
        }
        if (model.Level)
            for (int i = 0; i < model.InputLine.Length; i++)
                Assert.True(model.InputLine[i] == ((LevelRvidTable)rig.Controller.Rvid).LineHigh((ulong)i), $"after {s}: input {i}'s line");
        Assert.Equal(model.Kicks, rig.Vm.Metrics.Kicks.Value);
    }

    /// <summary>Enables every instance, unmasks every INTID and acknowledges until NO_INTERRUPTS, through the same
    /// checked path, so that every edge still outstanding is delivered. With priorities every INTID first gets
    /// priority 0, the mask opens, every active INTID is EOIed, and each acknowledge is followed by its EOI.</summary>
    private static void Drain(Rig rig, ReferenceModel model)
    {
        for (int v = 0; v < Cpus; v++)
        {
            Apply(rig, model, new Step(0, v, RvicFunctions.Enable, 0, false, 0, 0, 0));
            for (int i = 0; i < Config.NrTotal; i++)
            {
                Apply(rig, model, new Step(0, v, RvicFunctions.ClearMasked, v, false, 0, (ulong)i, 0));
                if (model.Prio) Apply(rig, model, new Step(0, v, RvicPrioFunctions.SetPriority, v, false, 0, (ulong)i, 0));
                if (model.Prio) Apply(rig, model, new Step(0, v, RvicPrioFunctions.Eoi, 0, false, (ulong)i, 0, 0));
            }
            if (model.Prio) Apply(rig, model, new Step(0, v, RvicPrioFunctions.SetPriorityMask, 0, false, 0xFF, 0, 0));
            while (model.CanSignal(v))
            {
                int next = model.Next(v);
                Apply(rig, model, new Step(0, v, RvicFunctions.Acknowledge, 0, false, 0, 0, 0));
                if (model.Prio) Apply(rig, model, new Step(0, v, RvicPrioFunctions.Eoi, 0, false, (ulong)next, 0, 0));
            }
            Apply(rig, model, new Step(0, v, RvicFunctions.Acknowledge, 0, false, 0, 0, 0)); // NO_INTERRUPTS on both
        }
    }

    private static long SumDelivered(ReferenceModel m)
    {
        long n = 0;
        foreach (int d in m.Delivered) n += d;
        return n;
    }
}
