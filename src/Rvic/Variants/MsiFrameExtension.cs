using IrqBench.Machine;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Traps;
using IrqBench.Machine.Vcpus;
using IrqBench.Rvic.Abi;
using IrqBench.Rvic.Hypervisor;
using static IrqBench.Rvic.Hypervisor.Reply;

namespace IrqBench.Rvic.Variants;

/// <summary>
/// rvic-msi (rvic.md §14): a virtual MSI frame in front of the rVID, in place of the prototype's 0xBA5E0000 dummy
/// doorbell and its invented <c>msi-range</c> property. The frame is one 4 KiB page at <see cref="FrameBase"/> with one
/// register, SETINPUT at offset 0x40 (GICv2m's MSI_SETSPI_NS offset): a 32-bit write of data = input asserts that rVID
/// input if it lies in the MSI window. The guest learns the frame and the window with RVID_MSI_INFO.
/// </summary>
/// <remarks>
/// Where the write is handled: a guest store to the page is a stage-2 data abort. Under vhe/nvhe KVM decodes it in
/// the host kernel (an in-kernel io device, as the ITS's GITS_TRANSLATER). Under pkvm it is forwarded to the host as
/// every MMIO abort of a protected guest is, and the host asserts the input with its call into EL2: the frame gives
/// whoever handles it nothing beyond naming an rVID input, which the host can do anyway, so it is kept out of EL2.
/// A device the VMM emulates never traps: the VMM hands its MSI (address = SETINPUT, data) to KVM.
/// </remarks>
internal sealed class MsiFrameExtension : RvicExtension
{
    /// <summary>QEMU virt's GICv2m frame address, free in an rVIC VM (there is no GIC).</summary>
    public const ulong FrameBase = 0x0802_0000, FrameSize = 0x1000, SetInputOffset = 0x40;

    public override string Name => "virtual MSI frame";

    public override string TrustedChange =>
        "no state; 1 guest call (RVID_MSI_INFO). The frame's data abort is handled by the host (vhe/nvhe: trusted; " +
        "pkvm: forwarded, and the host asserts the input through its existing call into EL2), so under pkvm EL2 gains " +
        "only RVID_MSI_INFO";

    internal override ulong? MsiDoorbell => FrameBase + SetInputOffset;

    internal override FunctionTable CreateCalls(RvicController c) => new("rvid-msi",
    [
        new(RvidMsiFunctions.Info, "RVID_MSI_INFO", (Vcpu _, in HvcArgs a) => a.X1 switch
        {
            RvidMsiFunctions.InfoFrameAddress => Ok(FrameBase),
            RvidMsiFunctions.InfoFirstInput => Ok((ulong)c.Config.MsiBase),
            RvidMsiFunctions.InfoInputCount => Ok((ulong)c.Config.MsiCount),
            _ => Parameter(0),
        }),
    ], c.ChargeCallDecode);

    internal override void Attach(RvicController c, VirtualMachine vm) =>
        c.MapMmio("rvid-msi-frame", FrameBase, FrameSize, new Frame(c), Placement.HostKernel, ["SETINPUT"]);

    /// <summary>The frame: SETINPUT is write-only; every other offset and width reads as zero and ignores writes.</summary>
    private sealed class Frame(RvicController c) : IMmioHandler
    {
        public ulong Read(Vcpu cpu, ulong offset, int size) => 0;

        public void Write(Vcpu cpu, ulong offset, int size, ulong value)
        {
            if (offset != SetInputOffset || size != 4) return;
            cpu.Vm.Metrics.MsisSignalled.Value++;
            if (c.IsMsiInput((uint)value)) c.AssertInput(cpu, (uint)value, c.Costs.MsiFrameWrite);
            else c.CountDropped();
        }
    }
}
