using IrqBench.Machine;
using IrqBench.Rvic.Hypervisor;
using IrqBench.Rvic.Instance;
using IrqBench.Rvic.Rvid;

namespace IrqBench.Rvic.Variants;

/// <summary>
/// One documented change to the rVIC/rVID ABI (rvic.md §12–§15): the hypercalls it adds (a function table in a range
/// of its own), the instance or rVID type that holds its state, the calls it gives the host into the trusted part,
/// and any MMIO frame it maps. The controller asks each of a variant's extensions; a hook left alone adds nothing.
/// </summary>
public abstract class RvicExtension
{
    /// <summary>What the change is, in one phrase ("priorities").</summary>
    public abstract string Name { get; }

    /// <summary>What it does to the trusted part (rvic.md §16; DECISIONS.md repeats it).</summary>
    public abstract string TrustedChange { get; }

    /// <summary>The per-vCPU instance, when this change needs more state than <see cref="RvicInstance"/>.</summary>
    internal virtual RvicInstance? CreateInstance(RvicConfig config) => null;

    /// <summary>The per-VM rVID, when this change needs more state than <see cref="RvidTable"/>.</summary>
    internal virtual RvidTable? CreateRvid(RvicConfig config) => null;

    /// <summary>The guest hypercalls it adds, or null.</summary>
    internal virtual FunctionTable? CreateCalls(RvicController c) => null;

    /// <summary>The calls it adds to what the host may ask of the trusted part (under pkvm, calls into EL2).</summary>
    internal virtual IEnumerable<(RvicHostOp Op, HostFunction Fn)> HostCalls(RvicController c) => [];

    /// <summary>Anything else to set up on the VM (an MMIO frame).</summary>
    internal virtual void Attach(RvicController c, VirtualMachine vm) { }

    /// <summary>The MSI doorbell address it defines instead of the prototype's 0xBA5E0000, or null.</summary>
    internal virtual ulong? MsiDoorbell => null;
}
