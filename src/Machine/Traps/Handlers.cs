using IrqBench.Machine.Vcpus;

namespace IrqBench.Machine.Traps;

/// <summary>An emulated MMIO device region. Offsets are relative to the region's base. The handler charges its own
/// work on <paramref name="cpu"/> (registers touched, locks taken); the router charges the exit and entry.</summary>
public interface IMmioHandler
{
    ulong Read(Vcpu cpu, ulong offset, int size);
    void Write(Vcpu cpu, ulong offset, int size, ulong value);
}

/// <summary>A system register, either trapped to a handler or served by hardware (no trap), as the controller
/// configured it when it attached.</summary>
public interface ISysregHandler
{
    ulong Read(Vcpu cpu, SysReg reg);
    void Write(Vcpu cpu, SysReg reg, ulong value);
}

/// <summary>The registers of an HVC: x0 holds the SMCCC function ID, x1..x3 the arguments.</summary>
public readonly record struct HvcArgs(ulong X0, ulong X1 = 0, ulong X2 = 0, ulong X3 = 0)
{
    public uint FunctionId => (uint)X0;
}

/// <summary>x0..x3 as the hypervisor returns them.</summary>
public readonly record struct HvcResult(ulong X0, ulong X1 = 0, ulong X2 = 0, ulong X3 = 0);

/// <summary>A range of SMCCC function IDs served by one handler.</summary>
public interface IHvcHandler
{
    HvcResult Call(Vcpu cpu, in HvcArgs args);
}

/// <summary>SMCCC return values (Arm DEN 0028).</summary>
public static class Smccc
{
    /// <summary>SMCCC_RET_NOT_SUPPORTED: what KVM returns for an unknown function ID.</summary>
    public const ulong NotSupported = unchecked((ulong)-1L);
}
