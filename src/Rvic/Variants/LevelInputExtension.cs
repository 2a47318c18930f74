using IrqBench.Machine.Traps;
using IrqBench.Machine.Vcpus;
using IrqBench.Rvic.Abi;
using IrqBench.Rvic.Hypervisor;
using IrqBench.Rvic.Rvid;
using static IrqBench.Rvic.Hypervisor.Reply;

namespace IrqBench.Rvic.Variants;

/// <summary>
/// rvic-level (rvic.md §13): untrusted level-triggered inputs. The rVID keeps each input's line; the host sets it
/// with a new host call (SET_INPUT_LEVEL: a high level pends the mapped INTID as an edge does, a low level is only
/// recorded); the guest's EOI path calls RVID_RESAMPLE(input), which pends the mapped INTID again while the line is
/// still high. The guest never learns or needs the line; the host needs no notification of the EOI.
/// </summary>
internal sealed class LevelInputExtension : RvicExtension
{
    public override string Name => "level inputs";

    public override string TrustedChange =>
        "per VM: one line bit per rVID input; 1 guest call (RVID_RESAMPLE) and 1 host call (SET_INPUT_LEVEL, under " +
        "pkvm a second call into EL2 besides the assertion); the rVIC instance and its delivery path are unchanged";

    internal override RvidTable CreateRvid(RvicConfig config) => new LevelRvidTable(config.NrTrusted, config.NrTotal);

    internal override FunctionTable CreateCalls(RvicController c) => new("rvid-level",
    [
        new(RvidLevelFunctions.Resample, "RVID_RESAMPLE", (Vcpu cpu, in HvcArgs a) => Resample(c, cpu, a.X1)),
    ], c.ChargeCallDecode);

    internal override IEnumerable<(RvicHostOp, HostFunction)> HostCalls(RvicController c) =>
        [(RvicHostOp.SetInputLevel, (ExecContext from, in HostArgs a) => SetInputLevel(c, from, a.A, a.B != 0))];

    /// <summary>RVID_RESAMPLE(input): an input out of range is (ERROR_PARAMETER, 0). With the line high and the input
    /// mapped, its INTID is pended again (on whichever vCPU it is mapped to, kicked as §3.7); otherwise nothing.</summary>
    private static HvcResult Resample(RvicController c, Vcpu cpu, ulong input)
    {
        var rvid = (LevelRvidTable)c.Rvid;
        if (!rvid.IsValidInput(input)) return Parameter(0);
        cpu.TakeLock(c.RvidLock, c.Costs.RvidUpdate);
        if (rvid.LineHigh(input) && rvid.TryRoute(input, out var route)) c.Inject(cpu, c.Vm.Vcpus[route.Vcpu], route.Intid);
        return Ok();
    }

    /// <summary>The host sets input <paramref name="input"/>'s line (KVM_IRQ_LINE with its level): recorded; a high
    /// level is then routed as an edge. An input out of range is dropped.</summary>
    private static bool SetInputLevel(RvicController c, ExecContext from, ulong input, bool high)
    {
        c.EnterRvid(from, c.Costs.InputInject);
        if (!((LevelRvidTable)c.Rvid).SetLine(input, high))
        {
            c.CountDropped();
            return false;
        }
        return !high || c.RouteInput(from, input);
    }
}
