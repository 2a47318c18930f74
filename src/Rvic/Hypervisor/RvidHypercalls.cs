using IrqBench.Machine.Traps;
using IrqBench.Machine.Vcpus;
using IrqBench.Rvic.Abi;

namespace IrqBench.Rvic.Hypervisor;

/// <summary>
/// The rVID hypercalls, 0xC5000100–0xC5000102 (rvic.md §2.5): VERSION, MAP(input, target MPIDR, intid) and
/// UNMAP(input), with ERROR_PARAMETER indices 0, 1, 2 (an unknown MPIDR is a parameter error here, not INVALID_CPU).
/// The table is changed under the VM-wide rVID lock (KVM's data->lock, §6.5).
/// </summary>
internal sealed class RvidHypercalls(RvicController c) : IHvcHandler
{
    public HvcResult Call(Vcpu cpu, in HvcArgs a)
    {
        cpu.ChargeHyp(c.Costs.CallDecode);
        RvicStatus status;
        switch (a.FunctionId)
        {
            case RvidFunctions.Version:
                return new HvcResult(RvicStatus.Success.Encode(), RvicAbi.Version);
            case RvidFunctions.Map:
                // The input is checked before the MPIDR is looked up, so a bad input costs no scan.
                int target = c.Rvid.IsValidInput(a.X1) ? c.FindTarget(cpu, a.X2)?.Id.Value ?? -1 : -1;
                cpu.TakeLock(c.RvidLock, c.Costs.RvidUpdate);
                status = c.Rvid.Map(a.X1, target, a.X3);
                break;
            case RvidFunctions.Unmap:
                cpu.TakeLock(c.RvidLock, c.Costs.RvidUpdate);
                status = c.Rvid.Unmap(a.X1);
                break;
            default:
                return new HvcResult(Smccc.NotSupported);
        }
        return new HvcResult(status.Encode());
    }
}
