using IrqBench.Gicv3.CpuInterface;
using static IrqBench.Gicv3.Registers.Gicd;

namespace IrqBench.Gicv3.Tests.Distributor;

/// <summary>The GICD frame as the guest sees it: reset values, set/clear pairs, access sizes, RAZ/WI rules.</summary>
public class DistributorTests
{
    private readonly (Machine.VirtualMachine Vm, Gicv3Controller Gic) t = TestVm.Create(vcpus: 2);
    private Machine.Vcpus.Vcpu Cpu0 => t.Vm.Vcpus[0];
    private ulong D(uint offset) => TestVm.Gicd(t.Gic, offset);
    private ulong R32(uint offset) => Cpu0.MmioRead(D(offset), 4);
    private void W32(uint offset, ulong v) => Cpu0.MmioWrite(D(offset), 4, v);

    [Fact]
    public void CTLR_resets_to_ARE_and_DS_and_stores_only_EnableGrp1()
    {
        Assert.Equal(0x50UL, R32(Ctlr));
        W32(Ctlr, 0xFFFF_FFFF);
        Assert.Equal(0x52UL, R32(Ctlr)); // no Group 0 enable, no nASSGIreq without GICv4.1, RWP never set
        W32(Ctlr, 0);
        Assert.Equal(0x50UL, R32(Ctlr));
    }

    [Fact]
    public void TYPER_reports_the_configured_SPIs_and_ID_bits_and_IIDR_is_KVMs()
    {
        Assert.Equal(0x4B << 24 | 3 << 12 | 0x43BUL, R32(Iidr));
        ulong typer = R32(Typer);
        Assert.Equal((224UL + 32) / 32 - 1, typer & 0x1F);
        Assert.Equal(15UL, (typer >> 19) & 0x1F); // 16 ID bits with an ITS
        Assert.Equal(1UL << 17, typer & (1 << 17)); // and LPIs
        var (_, gic) = TestVm.Create(config: new Gicv3Config { SpiCount = 64, HasIts = false, V2mFirstSpi = 64, V2mSpiCount = 32 });
        ulong noIts = gic.Vgic.Cpus[0].Vcpu.MmioRead(TestVm.Gicd(gic, Typer), 4);
        Assert.Equal(2UL, noIts & 0x1F);
        Assert.Equal(9UL, (noIts >> 19) & 0x1F);   // 10 ID bits without
        Assert.Equal(0UL, noIts & (1 << 17));
        Assert.Equal(0x3BUL, R32(Pidr2));
        Assert.Equal(0UL, R32(0xFFE0)); // the other ID registers read as zero in KVM
    }

    [Fact]
    public void At_most_960_SPIs_the_last_multiple_of_32_interrupts_below_the_special_INTIDs()
    {
        // KVM_DEV_ARM_VGIC_GRP_NR_IRQS takes a multiple of 32 interrupts up to VGIC_MAX_RESERVED (1023): 992 INTIDs,
        // SPIs 32-991, GICD_TYPER.ITLinesNumber = 30. One step more (ITLinesNumber = 31) would cover INTIDs
        // 1020-1023, which are special; 988 SPIs (up to VGIC_MAX_SPI, 1019) is no multiple of 32.
        var (_, gic) = TestVm.Create(config: new Gicv3Config { SpiCount = 960 });
        ulong typer = gic.Vgic.Cpus[0].Vcpu.MmioRead(TestVm.Gicd(gic, Typer), 4);
        Assert.Equal(30UL, typer & 0x1F);
        foreach (int tooMany in new[] { 988, 992 })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Gicv3Config { SpiCount = tooMany }.Validate());
            Assert.Contains("between 32 and 960", e.Message);
        }
    }

    [Fact]
    public void Enable_set_and_clear_registers_are_a_pair()
    {
        W32(ISEnableR + 4, 0x0000_0005); // INTIDs 32 and 34
        Assert.Equal(5UL, R32(ISEnableR + 4));
        Assert.Equal(5UL, R32(ICEnableR + 4));
        W32(ICEnableR + 4, 0x0000_0001);
        Assert.Equal(4UL, R32(ISEnableR + 4));
        W32(ISEnableR + 4, 0); // writing zeros changes nothing
        Assert.Equal(4UL, R32(ICEnableR + 4));
    }

    [Fact]
    public void Pending_set_and_clear_registers_are_a_pair_and_a_level_line_keeps_its_SPI_pending()
    {
        W32(ISPendR + 4, 0x3);
        Assert.Equal(3UL, R32(ISPendR + 4));
        W32(ICPendR + 4, 0x1);
        Assert.Equal(2UL, R32(ICPendR + 4));

        W32(ICfgR + 8, 0); // INTIDs 32..47 level
        t.Gic.SetSpiLevel(t.Vm.Host(0), 40, true);
        W32(ICPendR + 4, 1u << 8);
        Assert.Equal(1UL, (R32(ISPendR + 4) >> 8) & 1); // clears only the latch
        t.Gic.SetSpiLevel(t.Vm.Host(0), 40, false);
        Assert.Equal(0UL, (R32(ISPendR + 4) >> 8) & 1);
    }

    [Fact]
    public void Active_set_and_clear_registers_are_a_pair_and_each_access_stops_the_world()
    {
        long halts = t.Vm.Metrics.HaltAll.Value;
        W32(ISActiveR + 4, 0x10);
        Assert.Equal(0x10UL, R32(ISActiveR + 4));
        W32(ICActiveR + 4, 0x10);
        Assert.Equal(0UL, R32(ICActiveR + 4));
        Assert.Equal(halts + 4, t.Vm.Metrics.HaltAll.Value);
    }

    [Fact]
    public void Priorities_are_byte_accessible_with_unimplemented_bits_RAZ()
    {
        Cpu0.MmioWrite(D(IPriorityR + 33), 1, 0xA7);
        Assert.Equal(0xA0UL, Cpu0.MmioRead(D(IPriorityR + 33), 1));
        W32(IPriorityR + 36, 0x1122_33FF);
        Assert.Equal(0x1020_30F8UL, R32(IPriorityR + 36));
        Assert.Equal(0xA000UL, R32(IPriorityR + 32));
        Assert.Equal(0x30UL, Cpu0.MmioRead(D(IPriorityR + 37), 1));
    }

    [Fact]
    public void The_first_32_INTIDs_of_every_per_IRQ_array_are_RAZ_WI_with_affinity_routing()
    {
        W32(ISEnableR, 0xFFFF_FFFF);
        Assert.Equal(0UL, R32(ISEnableR));
        Cpu0.MmioWrite(D(IPriorityR), 4, 0xFFFF_FFFF);
        Assert.Equal(0UL, R32(IPriorityR));
        Assert.Equal(0UL, Cpu0.MmioRead(D(IRouteR), 8));
        Assert.True(t.Gic.Vgic.Cpus[0].Private[0].Enabled); // the SGI itself was not touched (KVM resets SGIs enabled)
        Assert.Equal(0UL, R32(ITargetsR + 32));
        Assert.Equal(0UL, R32(IGrpModR + 4));
    }

    [Fact]
    public void Bad_sizes_misaligned_accesses_unimplemented_offsets_and_INTIDs_beyond_the_SPIs_are_RAZ_WI()
    {
        Assert.Equal(0UL, Cpu0.MmioRead(D(Iidr), 1));      // IIDR is 32-bit only
        Assert.Equal(0UL, Cpu0.MmioRead(D(Iidr), 8));
        Assert.Equal(0UL, Cpu0.MmioRead(D(Iidr + 2), 4));  // misaligned
        Assert.Equal(0UL, R32(0x7FFC + 0x1000));           // unimplemented (beyond IROUTER... ESPI)
        Cpu0.MmioWrite(D(ISEnableR + 4), 1, 0xFF);         // byte write to a word register
        Assert.Equal(0UL, R32(ISEnableR + 4));
        W32(ISEnableR + 32, 0xFFFF_FFFF);                  // INTID 256: beyond 224 SPIs
        Assert.Equal(0UL, R32(ISEnableR + 32));
    }

    [Fact]
    public void SPIs_reset_disabled_edge_group1_at_priority_zero()
    {
        Assert.Equal(0UL, R32(ISEnableR + 4));
        Assert.Equal(0xAAAA_AAAAUL, R32(ICfgR + 8));        // bit 2m+1 = 1: edge (KVM's reset; QEMU's is level)
        Assert.Equal(0xFFFF_FFFFUL, R32(IGroupR + 4));
        Assert.Equal(0UL, R32(IPriorityR + 32));
    }

    [Fact]
    public void ICFGR_makes_SPIs_level_or_edge()
    {
        W32(ICfgR + 8, 0x0000_0002); // INTID 32 edge, 33..47 level
        Assert.Equal(2UL, R32(ICfgR + 8));
        Assert.False(t.Gic.Vgic.GetIrq(null, 32)!.Level);
        Assert.True(t.Gic.Vgic.GetIrq(null, 33)!.Level);
    }

    [Fact]
    public void IROUTER_keeps_Aff2_to_Aff0_takes_32_bit_halves_and_ignores_IRM_and_Aff3()
    {
        ulong reg = D(IRouteR + 40 * 8);
        Cpu0.MmioWrite(reg, 8, 0xFF_8000_0001UL); // Aff3 = 0xFF, IRM, Aff0 = 1
        Assert.Equal(1UL, Cpu0.MmioRead(reg, 8));
        Assert.Same(t.Gic.Vgic.Cpus[1], t.Gic.Vgic.GetIrq(null, 40)!.TargetVcpu);
        Cpu0.MmioWrite(reg + 4, 4, 0xFF);          // the upper word is write-ignored
        Assert.Equal(0UL, Cpu0.MmioRead(reg + 4, 4));
        Cpu0.MmioWrite(reg, 4, 0);                 // the lower half alone
        Assert.Equal(0UL, Cpu0.MmioRead(reg, 4));
        Assert.Same(t.Gic.Vgic.Cpus[0], t.Gic.Vgic.GetIrq(null, 40)!.TargetVcpu);
        Cpu0.MmioWrite(reg, 8, 0x0000_0305UL);     // names no vCPU: no target
        Assert.Null(t.Gic.Vgic.GetIrq(null, 40)!.TargetVcpu);
    }

    [Fact]
    public void Groups_are_guest_configurable()
    {
        W32(IGroupR + 4, 0xFFFF_FFFE);
        Assert.Equal(0xFFFF_FFFEUL, R32(IGroupR + 4));
        Assert.Equal(0, t.Gic.Vgic.GetIrq(null, 32)!.Group);
    }

    [Fact]
    public void Every_access_is_one_trap_to_the_host_kernel()
    {
        long before = t.Vm.Metrics.ExitsMmio.Value;
        R32(Typer);
        W32(Ctlr, 2);
        Assert.Equal(before + 2, t.Vm.Metrics.ExitsMmio.Value);
        Assert.Equal(0, t.Vm.Metrics.ExitsMmioUser.Value);
        Cpu0.SysregWrite(IccSysRegs.Eoir1, 1023); // the CPU interface is not a trap
        Assert.Equal(before + 2, t.Vm.Metrics.ExitsTotal);
    }
}
