using IrqBench.Gicv3.Registers;
using IrqBench.Gicv3.Vgic;
using IrqBench.Machine.Costs;
using IrqBench.Machine.Locks;
using IrqBench.Machine.Metrics;
using IrqBench.Machine.Traps;
using IrqBench.Machine.Vcpus;
using static IrqBench.Gicv3.Registers.RegisterDescriptor;
using IrqBench.Gicv3.Trust;

namespace IrqBench.Gicv3.Its;

/// <summary>
/// KVM's virtual ITS (arch/arm64/kvm/vgic/vgic-its.c, gicv3.md §6): the GITS registers, a command queue in guest
/// memory processed synchronously when CWRITER (or the enable) is written, device, ITE and collection state kept in
/// host structures (the guest's tables are only checked to cover the IDs), and the translation cache on the MSI path.
/// </summary>
internal sealed partial class VgicIts : IMmioHandler
{
    /// <summary>GITS_TYPER: PLPIS, ITT entry 8 bytes, 16 EventID bits, 16 DeviceID bits; PTA = 0 (collections
    /// target processor numbers), CIL = 0 (16-bit ICIDs), no Virtual (KVM exposes no GICv4 to its guests).</summary>
    public const int DevBits = 16, IdBits = 16, IteSize = 8, DteSize = 8, CteSize = 8;

    public const uint CtlrEnabled = 1u << 0, CtlrQuiescent = 1u << 31;
    public const ulong CbaserValid = 1UL << 63, BaserValid = 1UL << 63, BaserIndirect = 1UL << 62;
    public const ulong CwriterOffsetMask = 0xF_FFE0;
    public const int BaserTypeShift = 56, BaserEntrySizeShift = 48, BaserPageSizeShift = 8;
    public const ulong BaserTypeDevice = 1, BaserTypeCollection = 4, BaserPageSize64K = 2;
    public const ulong TranslaterOffset = 0x1_0040, FrameSize = 0x2_0000;

    [ModelOnly("back reference")] private readonly KvmVgic vgic;
    [ModelOnly("the register table, counted as registers")] private readonly RegisterFile file;
    private readonly ModelLock cmdLock, itsLock;
    private readonly Dictionary<uint, ItsDevice> devices = new();
    private readonly Dictionary<uint, ItsCollection> collections = new();
    private readonly Dictionary<ulong, VgicIrq> cache = new();
    [ModelOnly("error metrics")] private readonly Dictionary<ItsError, Counter> errors = new();

    public VgicIts(KvmVgic vgic, ulong baseAddress, bool forwardLpis)
    {
        this.vgic = vgic;
        BaseAddress = baseAddress;
        ForwardLpis = forwardLpis;
        cmdLock = vgic.Vm.Locks.Get("its_cmd_lock");
        itsLock = vgic.Vm.Locks.Get("its_lock");
        file = new RegisterFile(Table(), 0);
        var m = vgic.Vm.Metrics;
        foreach (var e in Enum.GetValues<ItsError>())
            if (e != ItsError.None) errors[e] = m.Get($"gicv3.its_errors.{e}");
        // vgic_its_create / vgic_its_commit_v0: the BASERs show their table type, entry size and 64 KiB pages.
        BaserDevice = BaserTypeDevice << BaserTypeShift | (ulong)(DteSize - 1) << BaserEntrySizeShift | BaserPageSize64K << BaserPageSizeShift;
        BaserCollection = BaserTypeCollection << BaserTypeShift | (ulong)(CteSize - 1) << BaserEntrySizeShift | BaserPageSize64K << BaserPageSizeShift;
        CacheHits = m.Get("gicv3.its_cache_hits");
        CacheMisses = m.Get("gicv3.its_cache_misses");
        MsisDropped = m.Get("gicv3.its_msis_dropped");
    }

    public ulong BaseAddress { get; }

    /// <summary>The register table (the trust comparison counts its descriptors).</summary>
    internal RegisterFile File => file;

    /// <summary>GICv4.1: the LPIs this ITS maps are forwarded to the physical ITS as vLPIs (the devices behind it are
    /// passthrough functions, kvm_vgic_v4_set_forwarding).</summary>
    public bool ForwardLpis { get; }

    public bool Enabled { get; private set; }
    public ulong Cbaser { get; private set; }
    public ulong Creadr { get; private set; }
    public ulong Cwriter { get; private set; }
    public ulong BaserDevice { get; private set; }
    public ulong BaserCollection { get; private set; }

    [field: ModelOnly("metric")] public Counter CacheHits { get; }
    [field: ModelOnly("metric")] public Counter CacheMisses { get; }
    [field: ModelOnly("metric")] public Counter MsisDropped { get; }
    public long ErrorCount(ItsError e) => errors[e].Value;
    public int CachedTranslations => cache.Count;

    internal IReadOnlyDictionary<uint, ItsDevice> Devices => devices;
    internal IReadOnlyDictionary<uint, ItsCollection> Collections => collections;

    private Gicv3Costs Costs => vgic.Costs;

    private IEnumerable<RegisterDescriptor> Table()
    {
        yield return Word("GITS_CTLR", 0x0000, ReadCtlr, WriteCtlr);
        yield return Word("GITS_IIDR", 0x0004, ReadIidr, null);
        yield return Dword("GITS_TYPER", 0x0008, ReadTyper, null);
        yield return Dword("GITS_CBASER", 0x0080, ReadCbaser, WriteCbaser);
        yield return Dword("GITS_CWRITER", 0x0088, ReadCwriter, WriteCwriter);
        yield return Dword("GITS_CREADR", 0x0090, ReadCreadr, null);
        yield return new RegisterDescriptor("GITS_BASER", 0x0100, 0x40, 0, AccessWidths.WordOrDword, ReadBaser, WriteBaser);
        yield return Word("GITS_IDREGS", 0xFFD0, ReadIdRegs, null) with { Length = 0x30 };
        // GITS_TRANSLATER is not in KVM's table: a CPU write to it is RAZ/WI; MSIs come from the VMM.
    }

    public void Map(TrapRouter router) => router.MapMmio("GITS", BaseAddress, FrameSize, this, Placement.HostKernel);

    public ulong Read(Vcpu cpu, ulong offset, int size)
    {
        cpu.ChargeHyp(Costs.MmioDispatch);
        return file.Read(cpu, -1, (uint)offset, size);
    }

    public void Write(Vcpu cpu, ulong offset, int size, ulong value)
    {
        cpu.ChargeHyp(Costs.MmioDispatch);
        file.Write(cpu, -1, (uint)offset, size, value);
    }

    // ---- GITS_CTLR ------------------------------------------------------------------------------------------

    /// <summary>Enabled, and Quiescent whenever CREADR == CWRITER.</summary>
    private ulong ReadCtlr(in MmioAccess a)
    {
        a.Cpu.ChargeHyp(Costs.MmioReg);
        return (Enabled ? CtlrEnabled : 0) | (Creadr == Cwriter ? CtlrQuiescent : 0);
    }

    /// <summary>vgic_mmio_write_its_ctlr: enabling is refused unless CBASER and both BASERs are valid; disabling
    /// invalidates the translation cache; queued commands are then processed.</summary>
    private void WriteCtlr(in MmioAccess a, ulong value)
    {
        a.Cpu.TakeLock(cmdLock, Costs.MmioReg);
        bool enable = (value & CtlrEnabled) != 0;
        if (!Enabled && enable && ((BaserDevice & BaserValid) == 0 || (BaserCollection & BaserValid) == 0 || (Cbaser & CbaserValid) == 0))
            return;
        Enabled = enable;
        if (!Enabled) InvalidateCache();
        ProcessCommands(a.Cpu);
    }

    private ulong ReadIidr(in MmioAccess a)
    {
        a.Cpu.ChargeHyp(Costs.MmioReg);
        return (Gicd.ProductIdKvm << 24) | Gicd.ImplementerArm; // Revision = save ABI 0
    }

    private ulong ReadTyper(in MmioAccess a)
    {
        a.Cpu.ChargeHyp(Costs.MmioReg);
        ulong v = 1UL /* PLPIS */ | (ulong)(IteSize - 1) << 4 | (ulong)(IdBits - 1) << 8 | (ulong)(DevBits - 1) << 13;
        return a.Extract64(v);
    }

    private ulong ReadIdRegs(in MmioAccess a)
    {
        a.Cpu.ChargeHyp(Costs.MmioReg);
        return a.Offset switch
        {
            0xFFD0 => 0x40, 0xFFE0 => 0x92, 0xFFE4 => 0xB4, 0xFFE8 => Gicd.Pidr2Gicv3,
            0xFFF0 => 0x0D, 0xFFF4 => 0xF0, 0xFFF8 => 0x05, 0xFFFC => 0xB1,
            _ => 0,
        };
    }

    // ---- the command queue registers ------------------------------------------------------------------------

    private ulong ReadCbaser(in MmioAccess a)
    {
        a.Cpu.ChargeHyp(Costs.MmioReg);
        return a.Extract64(Cbaser);
    }

    /// <summary>Ignored while enabled; otherwise stored with KVM's memory attributes (vgic_sanitise_its_cbaser), and
    /// CREADR and CWRITER restart at 0.</summary>
    private void WriteCbaser(in MmioAccess a, ulong value)
    {
        a.Cpu.TakeLock(cmdLock, Costs.MmioReg);
        if (Enabled) return;
        // Size [7:0], Shareability [11:10], PA [51:12], OuterCache [55:53], InnerCache [61:59], Valid [63]
        Cbaser = BaserAttributes.Its.Sanitise(a.Update64(Cbaser, value)) & 0xB8EF_FFFF_FFFF_FCFF;
        Creadr = 0;
        Cwriter = 0;
    }

    private ulong ReadCwriter(in MmioAccess a)
    {
        a.Cpu.ChargeHyp(Costs.MmioReg);
        return a.Extract64(Cwriter);
    }

    /// <summary>vgic_mmio_write_its_cwriter: an offset beyond the queue is ignored; otherwise every command from
    /// CREADR up to it is processed, in this exit.</summary>
    private void WriteCwriter(in MmioAccess a, ulong value)
    {
        a.Cpu.TakeLock(cmdLock, Costs.MmioReg);
        ulong reg = a.Update64(Cwriter, value) & CwriterOffsetMask;
        if (reg >= QueueSize) return;
        Cwriter = reg;
        ProcessCommands(a.Cpu);
    }

    private ulong ReadCreadr(in MmioAccess a)
    {
        a.Cpu.ChargeHyp(Costs.MmioReg);
        return a.Extract64(Creadr & CwriterOffsetMask);
    }

    /// <summary>(CBASER.Size + 1) 4 KiB pages.</summary>
    public ulong QueueSize => ((Cbaser & 0xFF) + 1) * 4096;

    // ---- GITS_BASER<n>: n = 0 the device table, n = 1 the collection table, the others RAZ/WI ----------------

    private ulong ReadBaser(in MmioAccess a)
    {
        a.Cpu.ChargeHyp(Costs.MmioReg);
        uint n = (a.Offset - 0x100) / 8;
        return n switch { 0 => a.Extract64(BaserDevice), 1 => a.Extract64(BaserCollection), _ => 0 };
    }

    /// <summary>vgic_mmio_write_its_baser: ignored while enabled; Type and Entry_Size are read-only, Page_Size is
    /// forced to 64 KiB, Indirect is cleared for collections, the memory attributes are KVM's
    /// (vgic_sanitise_its_baser); Valid = 0 frees the table's devices or collections.</summary>
    private void WriteBaser(in MmioAccess a, ulong value)
    {
        a.Cpu.ChargeHyp(Costs.MmioReg);
        if (Enabled) return;
        uint n = (a.Offset - 0x100) / 8;
        if (n > 1) return;
        ulong old = n == 0 ? BaserDevice : BaserCollection;
        ulong reg = a.Update64(old, value);
        reg &= ~((7UL << BaserTypeShift) | (0x1FUL << BaserEntrySizeShift) | (3UL << BaserPageSizeShift) | (0xFUL << 12));
        if (n == 1) reg &= ~BaserIndirect;
        reg |= (ulong)((n == 0 ? DteSize : CteSize) - 1) << BaserEntrySizeShift;
        reg |= (n == 0 ? BaserTypeDevice : BaserTypeCollection) << BaserTypeShift;
        reg |= BaserPageSize64K << BaserPageSizeShift;
        reg = BaserAttributes.Its.Sanitise(reg);
        if (n == 0) BaserDevice = reg; else BaserCollection = reg;
        if ((reg & BaserValid) == 0)
        {
            a.Cpu.TakeLock(itsLock, 0);
            if (n == 0) FreeAllDevices(a.Cpu); else FreeAllCollections();
            InvalidateCache();
        }
    }

    /// <summary>vgic_its_check_id: is <paramref name="id"/> inside the table <paramref name="baser"/> describes, and
    /// is its entry in guest memory? Flat tables are indexed directly; a two-level table (devices only) goes through
    /// a valid level-1 entry to a 64 KiB level-2 page.</summary>
    private bool CheckId(ulong baser, uint id)
    {
        ulong l1Size = ((baser & 0xFF) + 1) * 0x1_0000;
        ulong type = (baser >> BaserTypeShift) & 7;
        ulong esz = ((baser >> BaserEntrySizeShift) & 0x1F) + 1;
        ulong tableBase = baser & 0x0000_FFFF_FFFF_F000;
        if (type == BaserTypeDevice ? id >= 1u << DevBits : id >= 1u << 16) return false;
        var mem = vgic.Vm.Memory;
        if ((baser & BaserIndirect) == 0)
        {
            if (id >= l1Size / esz) return false;
            return mem.IsRam(tableBase + id * esz);
        }
        ulong perPage = 0x1_0000 / esz;
        ulong index = id / perPage;
        if (index >= l1Size / 8) return false;
        ulong l1 = mem.Read(tableBase + index * 8, 8);
        if ((l1 >> 63) == 0) return false;
        ulong l2 = l1 & 0x000F_FFFF_FFFF_0000;
        return mem.IsRam(l2 + id % perPage * esz);
    }

    private void Error(ItsError e) => errors[e].Value++;
}
