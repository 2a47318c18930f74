using IrqBench.Rvic.Abi;

namespace IrqBench.Rvic.Rvid;

/// <summary>
/// The rVID: one per VM, a table from input number to (vCPU, untrusted INTID) that only the guest programs, through
/// MAP and UNMAP (rvic.md §4). Inputs are numbered 0 .. nr_untrusted-1 and start unmapped. The untrusted side can
/// only name an input; it never chooses the target or the INTID.
/// </summary>
public class RvidTable
{
    /// <summary>One input's route. Unmapped is <see cref="Intid"/> 0 (below nr_trusted), as in KVM.</summary>
    public readonly record struct Route(int Vcpu, int Intid);

    private readonly Route[] routes;
    private readonly int nrTrusted, nrTotal;

    public RvidTable(int nrTrusted, int nrTotal)
    {
        this.nrTrusted = nrTrusted;
        this.nrTotal = nrTotal;
        routes = new Route[nrTotal - nrTrusted];
    }

    public int InputCount => routes.Length;

    /// <summary>Input range check. The prototype accepts input == nr_untrusted, one past the table (rvic.md §9 quirk 1).</summary>
    public bool IsValidInput(ulong input) => input < (ulong)routes.Length;

    /// <summary>MAP's checks in KVM's order (rvic.md §2.5): input (index 0), target (1, resolved by the caller, -1 when no
    /// vCPU has that MPIDR), intid untrusted (2). MAP overwrites any earlier route.</summary>
    public RvicStatus Map(ulong input, int targetVcpu, ulong intid)
    {
        if (!IsValidInput(input)) return RvicStatus.Parameter(0);
        if (targetVcpu < 0) return RvicStatus.Parameter(1);
        if (intid < (ulong)nrTrusted || intid >= (ulong)nrTotal) return RvicStatus.Parameter(2);
        routes[input] = new Route(targetVcpu, (int)intid);
        return RvicStatus.Success;
    }

    public RvicStatus Unmap(ulong input)
    {
        if (!IsValidInput(input)) return RvicStatus.Parameter(0);
        routes[input] = default;
        return RvicStatus.Success;
    }

    /// <summary>Where an asserted input goes; false for an input out of range or unmapped (then it is dropped).</summary>
    public bool TryRoute(ulong input, out Route route)
    {
        route = IsValidInput(input) ? routes[input] : default;
        return route.Intid >= nrTrusted;
    }
}
