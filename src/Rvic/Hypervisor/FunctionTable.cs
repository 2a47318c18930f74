using IrqBench.Machine.Traps;
using IrqBench.Machine.Vcpus;
using IrqBench.Rvic.Abi;

namespace IrqBench.Rvic.Hypervisor;

/// <summary>One hypercall's handler: the registers in, x0..x3 out.</summary>
public delegate HvcResult HvcFunction(Vcpu cpu, in HvcArgs args);

/// <summary>One function of a table: its SMCCC ID, its name in the ABI (rvic.md), its handler.</summary>
public sealed record HvcEntry(uint FunctionId, string Name, HvcFunction Handler);

/// <summary>
/// A range of SMCCC function IDs and the handler of each, as data: what KVM's kvm_rvic_handle_hcall and
/// kvm_rvid_handle_hcall switch on. The router sends the whole range [First, Last] here; an ID of the range without an
/// entry is SMCCC NOT_SUPPORTED, after the entry work every call of the range pays. Being data, the table is what the
/// trusted surface counts (<see cref="RvicTrustedSurface"/>).
/// </summary>
public sealed class FunctionTable : IHvcHandler
{
    private readonly HvcFunction?[] byOffset;
    private readonly Action<Vcpu> onEntry;

    public FunctionTable(string name, IReadOnlyList<HvcEntry> entries, Action<Vcpu> onEntry)
    {
        if (entries.Count == 0) throw new ArgumentException($"function table {name} has no functions", nameof(entries));
        Name = name;
        Entries = entries;
        First = entries.Min(e => e.FunctionId);
        Last = entries.Max(e => e.FunctionId);
        if (Last - First > 255) throw new ArgumentException($"function table {name} spans more than 256 IDs", nameof(entries));
        byOffset = new HvcFunction?[Last - First + 1];
        foreach (var e in entries)
        {
            if (byOffset[e.FunctionId - First] is not null) throw new ArgumentException($"function table {name}: 0x{e.FunctionId:X8} twice", nameof(entries));
            byOffset[e.FunctionId - First] = e.Handler;
        }
        this.onEntry = onEntry;
    }

    public string Name { get; }
    public uint First { get; }
    public uint Last { get; }
    public IReadOnlyList<HvcEntry> Entries { get; }

    public HvcResult Call(Vcpu cpu, in HvcArgs a)
    {
        onEntry(cpu);
        uint i = a.FunctionId - First;
        return i < (uint)byOffset.Length && byOffset[i] is { } fn ? fn(cpu, a) : new HvcResult(Smccc.NotSupported);
    }
}

/// <summary>The status words every rVIC and rVID handler returns (rvic.md §2.2).</summary>
internal static class Reply
{
    public static HvcResult Ok(ulong x1 = 0) => new(RvicStatus.Success.Encode(), x1);
    public static HvcResult Fail(RvicStatus s) => new(s.Encode());
    public static HvcResult Fail(RvicReason r) => new(new RvicStatus(r).Encode());
    public static HvcResult Parameter(byte index) => new(RvicStatus.Parameter(index).Encode());
}
