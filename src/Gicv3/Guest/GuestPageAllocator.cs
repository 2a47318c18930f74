using IrqBench.Machine;

namespace IrqBench.Gicv3.Guest;

/// <summary>
/// The guest kernel's allocator for the memory the GIC driver hands to the GIC (the ITS command queue and tables,
/// the LPI property and pending tables): naturally aligned blocks carved downwards from the top of guest RAM, zero
/// as fresh pages are. Guest memory is sparse, so reserving costs nothing until written.
/// </summary>
public sealed class GuestPageAllocator(ulong ramBase = VirtualMachine.RamBase, ulong ramSize = VirtualMachine.RamSize)
{
    private ulong top = ramBase + ramSize;

    public ulong Allocate(ulong size, ulong align)
    {
        ulong at = (top - size) & ~(align - 1);
        if (at < ramBase) throw new InvalidOperationException("guest RAM exhausted by GIC tables");
        top = at;
        return at;
    }
}
