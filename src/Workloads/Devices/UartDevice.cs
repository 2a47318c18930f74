using IrqBench.Machine;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Traps;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Workloads.Devices;

/// <summary>
/// A PL011-like UART emulated by the VMM in user space, with a level-triggered receive interrupt: its line is high
/// while the receive FIFO holds data and goes low when the guest has read the last byte. Only the receive side is
/// modelled: DR (offset 0x000) pops one byte (0 when empty), FR (offset 0x018) has RXFE (bit 4) set while the FIFO is
/// empty; every guest access is a data abort to the VMM. The line is a wire to whatever the controller offers for a
/// level input (<paramref name="setLine"/> is called on each change, in the context that changed it: the VMM's input
/// thread when bytes arrive, the reading vCPU when it drains the FIFO), so the device knows no controller.
/// </summary>
public sealed class UartDevice : IMmioHandler
{
    /// <summary>QEMU virt's PL011 address.</summary>
    public const ulong DefaultBase = 0x0900_0000, Size = 0x1000;
    public const ulong DataRegister = 0x000, FlagRegister = 0x018, FlagRxFifoEmpty = 1 << 4;

    private readonly Queue<byte> rx = new();
    private readonly Action<ExecContext, bool> setLine;

    public UartDevice(VirtualMachine vm, DeviceId id, Action<ExecContext, bool> setLine, ulong baseAddress = DefaultBase)
    {
        Id = id;
        Base = baseAddress;
        this.setLine = setLine;
        vm.Router.MapMmio("uart", baseAddress, Size, this, Placement.VmmUser);
    }

    public DeviceId Id { get; }
    public ulong Base { get; }

    /// <summary>The interrupt line as last driven.</summary>
    public bool LineHigh { get; private set; }

    /// <summary>Bytes received and not yet read by the guest.</summary>
    public int Buffered => rx.Count;

    /// <summary>Bytes arrive from outside the VM (the VMM's input thread at <paramref name="from"/>'s time).</summary>
    public void Receive(ExecContext from, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes) rx.Enqueue(b);
        Drive(from);
    }

    public ulong Read(Vcpu cpu, ulong offset, int size)
    {
        switch (offset)
        {
            case DataRegister:
                ulong b = rx.TryDequeue(out var v) ? v : 0UL;
                Drive(cpu);
                return b;
            case FlagRegister:
                return rx.Count == 0 ? FlagRxFifoEmpty : 0;
            default:
                return 0;
        }
    }

    /// <summary>Transmit and control registers are not modelled: writes are ignored.</summary>
    public void Write(Vcpu cpu, ulong offset, int size, ulong value) { }

    private void Drive(ExecContext from)
    {
        bool high = rx.Count > 0;
        if (high == LineHigh) return;
        LineHigh = high;
        setLine(from, high);
    }
}
