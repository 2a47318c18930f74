using IrqBench.Gicv3.Its;
using IrqBench.Gicv3.Registers;
using IrqBench.Machine;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Gicv3.Guest;

/// <summary>
/// Linux's ITS driver (drivers/irqchip/irq-gic-v3-its.c) as the accesses it makes: probing the ITS and giving it a
/// command queue, a two-level device table and a collection table; per CPU, the LPI property and pending tables and
/// a collection (MAPC + INVALL); per device interrupt, MAPD, MAPTI, and a property write + INV to enable it; MOVI on
/// an affinity change. Every command is written into the queue in guest memory; allocating a slot reads CREADR (the
/// queue-full check), posting writes CWRITER, and waiting for completion reads CREADR — each a trap.
/// </summary>
public sealed class ItsGuestDriver
{
    /// <summary>LPI_PROP_DEFAULT_PRIO | LPI_PROP_GROUP1, and LPI_PROP_ENABLED.</summary>
    public const byte PropDefault = 0xA0 | 0x2, PropEnabled = 0x1;

    /// <summary>EventID bits of each device's ITT (256 vectors).</summary>
    public const int DeviceEventBits = 8;

    private const ulong Page64K = 0x1_0000, QueueSize = Page64K;
    private const ulong Ctlr = 0x0000, Typer = 0x0008, Cbaser = 0x0080, Cwriter = 0x0088, Creadr = 0x0090, Baser = 0x0100;

    private readonly VirtualMachine vm;
    private readonly ulong its;
    private readonly GuestPageAllocator pages;
    private readonly Dictionary<uint, ulong> ittOf = new();
    private ulong queue, write, deviceL1, propTable;
    private uint deviceIdsPerPage;
    private uint nextLpi = 8192;

    public ItsGuestDriver(VirtualMachine vm, ulong itsBase, GuestPageAllocator pages)
    {
        this.vm = vm;
        its = itsBase;
        this.pages = pages;
    }

    /// <summary>The INTID bits the distributor reports (GICD_TYPER.IDbits + 1), capped at 16 (LPI_NRBITS).</summary>
    public int IdBits { get; private set; } = 16;

    /// <summary>its_probe_one + its_init on the boot CPU: quiesce, allocate the tables (reading each BASER back to
    /// learn what the ITS accepted), the command queue, then enable.</summary>
    public void Probe(Vcpu cpu, int gicdIdBits)
    {
        IdBits = Math.Min(gicdIdBits, 16);
        ulong typer = cpu.MmioRead(its + Typer, 8);
        int devBits = (int)((typer >> 13) & 0x1F) + 1;
        if ((cpu.MmioRead(its + Ctlr, 4) & VgicIts.CtlrEnabled) != 0) cpu.MmioWrite(its + Ctlr, 4, 0);

        for (uint n = 0; n < 8; n++)
        {
            ulong reg = its + Baser + n * 8;
            ulong baser = cpu.MmioRead(reg, 8);
            ulong type = (baser >> VgicIts.BaserTypeShift) & 7;
            ulong esz = ((baser >> VgicIts.BaserEntrySizeShift) & 0x1F) + 1;
            if (type == VgicIts.BaserTypeDevice)
            {
                // Two-level: 2^DevBits IDs do not fit one 64 KiB page; level-2 pages are allocated per device.
                deviceIdsPerPage = (uint)(Page64K / esz);
                ulong l1Entries = (1UL << devBits) / deviceIdsPerPage;
                deviceL1 = pages.Allocate(Page64K, Page64K);
                ulong val = deviceL1 | VgicIts.BaserValid | VgicIts.BaserIndirect | ((l1Entries * 8 + Page64K - 1) / Page64K - 1);
                cpu.MmioWrite(reg, 8, val | VgicIts.BaserPageSize64K << VgicIts.BaserPageSizeShift);
                cpu.MmioRead(reg, 8);
            }
            else if (type == VgicIts.BaserTypeCollection)
            {
                ulong size = Math.Max(Page64K, (ulong)vm.Vcpus.Count * esz);
                ulong table = pages.Allocate(size, Page64K);
                cpu.MmioWrite(reg, 8, table | VgicIts.BaserValid | (size / Page64K - 1) | VgicIts.BaserPageSize64K << VgicIts.BaserPageSizeShift);
                cpu.MmioRead(reg, 8);
            }
        }
        queue = pages.Allocate(QueueSize, Page64K);
        cpu.MmioWrite(its + Cbaser, 8, queue | VgicIts.CbaserValid | (QueueSize / 4096 - 1));
        cpu.MmioRead(its + Cbaser, 8);
        write = 0;
        cpu.MmioWrite(its + Cwriter, 8, 0);
        uint ctlr = (uint)cpu.MmioRead(its + Ctlr, 4);
        cpu.MmioWrite(its + Ctlr, 4, ctlr | VgicIts.CtlrEnabled);
    }

    /// <summary>its_cpu_init: the (shared) property table, this CPU's pending table, EnableLPIs, and its collection
    /// mapped to this redistributor (MAPC + SYNC, then INVALL).</summary>
    public void InitCpu(Vcpu cpu, ulong rdBase)
    {
        ulong lpiBytes = 1UL << IdBits;
        if (propTable == 0)
        {
            propTable = pages.Allocate(lpiBytes, Page64K);
            // One byte per LPI, the first for INTID 8192.
            for (ulong i = 0; i < lpiBytes - 8192; i++) vm.Memory.WriteByte(propTable + i, PropDefault);
        }
        ulong pend = pages.Allocate(Math.Max(lpiBytes / 8, Page64K), Page64K);
        cpu.MmioWrite(rdBase + Gicr.PropBaser, 8, propTable | (uint)(IdBits - 1));
        cpu.MmioRead(rdBase + Gicr.PropBaser, 8);
        cpu.MmioWrite(rdBase + Gicr.PendBaser, 8, pend);
        cpu.MmioRead(rdBase + Gicr.PendBaser, 8);
        ulong ctlr = cpu.MmioRead(rdBase + Gicr.Ctlr, 4);
        cpu.MmioWrite(rdBase + Gicr.Ctlr, 4, ctlr | Gicr.CtlrEnableLpis);

        uint processor = (uint)((cpu.MmioRead(rdBase + Gicr.Typer, 8) >> 8) & 0xFFFF);
        uint collection = (uint)cpu.Id.Value;
        Send(cpu, ItsCommand.Mapc(collection, processor, valid: true), processor);
        Send(cpu, ItsCommand.Invall(collection), null);
    }

    /// <summary>its_create_device: the device table's level-2 page if this DeviceID's is missing, an ITT, MAPD.</summary>
    public void EnsureDevice(Vcpu cpu, uint device)
    {
        if (ittOf.ContainsKey(device)) return;
        ulong l1 = deviceL1 + device / deviceIdsPerPage * 8;
        if (vm.Memory.Read(l1, 8) >> 63 == 0)
            vm.Memory.Write(l1, 8, pages.Allocate(Page64K, Page64K) | 1UL << 63);
        ulong itt = pages.Allocate((1UL << DeviceEventBits) * VgicIts.IteSize, 256);
        ittOf[device] = itt;
        Send(cpu, ItsCommand.Mapd(device, DeviceEventBits, itt, valid: true), null);
    }

    /// <summary>its_lpi_alloc: the next free LPI INTID.</summary>
    public uint AllocateLpi()
    {
        if (nextLpi >= 1u << IdBits) throw new InvalidOperationException("irq-gic-v3-its: out of LPIs");
        return nextLpi++;
    }

    /// <summary>its_send_mapti: EventID → LPI in the collection of <paramref name="cpuIndex"/> (+ SYNC).</summary>
    public void MapEvent(Vcpu cpu, uint device, uint eventId, uint lpi, int cpuIndex) =>
        Send(cpu, ItsCommand.Mapti(device, eventId, lpi, (uint)cpuIndex), (uint)cpuIndex);

    /// <summary>lpi_update_config: the property byte in memory, then INV (+ SYNC) so the ITS re-reads it.</summary>
    public void SetEnabled(Vcpu cpu, uint device, uint eventId, uint lpi, bool enable, int cpuIndex)
    {
        ulong at = propTable + lpi - 8192;
        byte prop = vm.Memory.ReadByte(at);
        vm.Memory.WriteByte(at, enable ? (byte)(prop | PropEnabled) : (byte)(prop & ~PropEnabled));
        Send(cpu, ItsCommand.Event(ItsCommandType.Inv, device, eventId), (uint)cpuIndex);
    }

    /// <summary>its_send_movi: the event moves to the target CPU's collection (+ SYNC).</summary>
    public void Move(Vcpu cpu, uint device, uint eventId, int toCpu) =>
        Send(cpu, ItsCommand.Movi(device, eventId, (uint)toCpu), (uint)toCpu);

    /// <summary>its_send_single_command: allocate a slot (reading CREADR to check the queue is not full), write the
    /// command and its SYNC if it has one, post CWRITER, read CREADR until the ITS has consumed them.</summary>
    public void Send(Vcpu cpu, in ItsCommand cmd, uint? syncTarget)
    {
        Put(cpu, cmd);
        if (syncTarget is { } t) Put(cpu, ItsCommand.Sync(t));
        cpu.MmioWrite(its + Cwriter, 8, write);
        WaitForCompletion(cpu);
    }

    /// <summary>its_wait_for_range_completion: poll CREADR until the ITS has consumed everything up to the write
    /// pointer (with KVM the first read sees it: commands are processed in the CWRITER exit), giving up as Linux does
    /// ("ITS queue timeout").</summary>
    private void WaitForCompletion(Vcpu cpu)
    {
        for (int i = 0; i < 1000; i++)
            if (cpu.MmioRead(its + Creadr, 8) == write) return;
        throw new InvalidOperationException($"irq-gic-v3-its: ITS queue timeout (CREADR stuck, CWRITER 0x{write:X})");
    }

    /// <summary>its_send_*_nv as kvm-unit-tests does it: write the command, post CWRITER, read CREADR until it is
    /// consumed; no queue-full check and no SYNC.</summary>
    public void SendNoSync(Vcpu cpu, in ItsCommand cmd)
    {
        Write(cmd);
        cpu.MmioWrite(its + Cwriter, 8, write);
        WaitForCompletion(cpu);
    }

    /// <summary>Writes one command at the queue's write pointer (after the queue-full check).</summary>
    private void Put(Vcpu cpu, in ItsCommand cmd)
    {
        cpu.MmioRead(its + Creadr, 8);
        Write(cmd);
    }

    /// <summary>Writes a command into the queue in guest memory and advances the write pointer, without posting.</summary>
    public void Write(in ItsCommand cmd)
    {
        ulong at = queue + write;
        vm.Memory.Write(at, 8, cmd.Dw0);
        vm.Memory.Write(at + 8, 8, cmd.Dw1);
        vm.Memory.Write(at + 16, 8, cmd.Dw2);
        vm.Memory.Write(at + 24, 8, cmd.Dw3);
        write = (write + ItsCommand.Size) % QueueSize;
    }

    /// <summary>The write pointer (what the next CWRITER write posts).</summary>
    public ulong WritePointer => write;

    public ulong TranslaterAddress => its + VgicIts.TranslaterOffset;
}
