using IrqBench.Machine.Traps;
using IrqBench.Machine.Vcpus;
using IrqBench.Rvic.Abi;
using static IrqBench.Rvic.Hypervisor.Reply;

namespace IrqBench.Rvic.Hypervisor;

/// <summary>
/// The rVID hypercalls, 0xC5000100–0xC5000102 (rvic.md §2.5): VERSION, MAP(input, target MPIDR, intid) and
/// UNMAP(input), with ERROR_PARAMETER indices 0, 1, 2 (an unknown MPIDR is a parameter error here, not INVALID_CPU).
/// The table is changed under the VM-wide rVID lock (KVM's data->lock, §6.5).
/// </summary>
internal sealed class RvidHypercalls(RvicController c)
{
    public FunctionTable Table() => new("rvid",
    [
        new(RvidFunctions.Version, "VERSION", (Vcpu _, in HvcArgs _) => Ok(RvicAbi.Version)),
        new(RvidFunctions.Map, "MAP", (Vcpu cpu, in HvcArgs a) => Map(cpu, a)),
        new(RvidFunctions.Unmap, "UNMAP", (Vcpu cpu, in HvcArgs a) => Unmap(cpu, a.X1)),
    ], c.ChargeCallDecode);

    private HvcResult Map(Vcpu cpu, in HvcArgs a)
    {
        // The input is checked before the MPIDR is looked up, so a bad input costs no scan.
        int target = c.Rvid.IsValidInput(a.X1) ? c.FindTarget(cpu, a.X2)?.Id.Value ?? -1 : -1;
        cpu.TakeLock(c.RvidLock, c.Costs.RvidUpdate);
        return new HvcResult(c.Rvid.Map(a.X1, target, a.X3).Encode());
    }

    private HvcResult Unmap(Vcpu cpu, ulong input)
    {
        cpu.TakeLock(c.RvidLock, c.Costs.RvidUpdate);
        return new HvcResult(c.Rvid.Unmap(input).Encode());
    }
}
