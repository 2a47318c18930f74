using static IrqBench.Gicv3.Registers.Gicr;

namespace IrqBench.Gicv3.Tests.Redistributor;

/// <summary>The redistributors: one RD_base and SGI_base frame per vCPU, found by affinity.</summary>
public class RedistributorTests
{
    [Fact]
    public void TYPER_gives_affinity_processor_number_and_Last_on_the_last_frame()
    {
        var (vm, gic) = TestVm.Create(vcpus: 20);
        var cpu = vm.Vcpus[0];
        ulong t17 = cpu.MmioRead(TestVm.Rd(gic, 17, Typer), 8);
        Assert.Equal(0x0000_0101UL, t17 >> 32); // vCPU 17: Aff1 = 1, Aff0 = 1 (16 per cluster)
        Assert.Equal(17UL, (t17 >> 8) & 0xFFFF);
        Assert.Equal(0UL, t17 & TyperLast);
        Assert.Equal(TyperPlpis, t17 & TyperPlpis); // LPIs: the VM has an ITS
        Assert.Equal(TyperLast, cpu.MmioRead(TestVm.Rd(gic, 19, Typer), 8) & TyperLast);
        Assert.Equal(t17 >> 32, cpu.MmioRead(TestVm.Rd(gic, 17, Typer + 4), 4)); // the upper half alone
    }

    [Fact]
    public void Redistributors_beyond_the_first_region_live_in_the_high_region_with_its_own_Last()
    {
        var cfg = new Gicv3Config { RedistributorsInFirstRegion = 4 };
        var (vm, gic) = TestVm.Create(vcpus: 6, config: cfg);
        var cpu = vm.Vcpus[0];
        Assert.Equal(TyperLast, cpu.MmioRead(TestVm.Rd(gic, 3, Typer), 8) & TyperLast);
        Assert.Equal(cfg.HighRedistributorBase, TestVm.Rd(gic, 4, 0));
        Assert.Equal(5UL, (cpu.MmioRead(TestVm.Rd(gic, 5, Typer), 8) >> 8) & 0xFFFF);
    }

    [Fact]
    public void A_high_region_that_continues_the_first_contiguously_moves_Last_to_the_end_of_the_run()
    {
        // vgic_mmio_vcpu_rdist_is_last: the last frame of a full region is not Last when another region with frames
        // in use starts where it ends; the redistributors form one contiguous run and only its last frame is Last.
        var low = new Gicv3Config { RedistributorsInFirstRegion = 4 };
        var cfg = low with { HighRedistributorBase = low.RedistributorBase + 4UL * Gicv3Config.RedistributorStride };
        var (vm, gic) = TestVm.Create(vcpus: 6, config: cfg);
        var cpu = vm.Vcpus[0];
        Assert.Equal(TestVm.Rd(gic, 3, 0) + Gicv3Config.RedistributorStride, TestVm.Rd(gic, 4, 0));
        for (int i = 0; i < 5; i++) Assert.Equal(0UL, cpu.MmioRead(TestVm.Rd(gic, i, Typer), 8) & TyperLast);
        Assert.Equal(TyperLast, cpu.MmioRead(TestVm.Rd(gic, 5, Typer), 8) & TyperLast);
    }

    [Fact]
    public void CTLR_IIDR_WAKER_and_PIDR2_read_as_KVM_reports_them()
    {
        var (vm, gic) = TestVm.Create(config: new Gicv3Config { HasIts = false });
        var cpu = vm.Vcpus[0];
        Assert.Equal(CtlrIr | CtlrCes, cpu.MmioRead(TestVm.Rd(gic, 1, Ctlr), 4));
        cpu.MmioWrite(TestVm.Rd(gic, 1, Ctlr), 4, CtlrEnableLpis); // no ITS: EnableLPIs stays clear
        Assert.Equal(0UL, cpu.MmioRead(TestVm.Rd(gic, 1, Ctlr), 4) & CtlrEnableLpis);
        Assert.Equal(0x4B << 24 | 3 << 12 | 0x43BUL, cpu.MmioRead(TestVm.Rd(gic, 1, Iidr), 4));
        cpu.MmioWrite(TestVm.Rd(gic, 1, Waker), 4, 0x2);
        Assert.Equal(0UL, cpu.MmioRead(TestVm.Rd(gic, 1, Waker), 4)); // awake at once
        Assert.Equal(0x3BUL, cpu.MmioRead(TestVm.Rd(gic, 1, Pidr2), 4));
    }

    [Fact]
    public void The_SGI_frame_reaches_the_frames_vCPU_whoever_accesses_it()
    {
        var (vm, gic) = TestVm.Create();
        var cpu0 = vm.Vcpus[0];
        cpu0.MmioWrite(TestVm.Sgi(gic, 1, ICEnableR0), 4, 1u << 3);
        Assert.False(gic.Vgic.Cpus[1].Private[3].Enabled);
        Assert.True(gic.Vgic.Cpus[0].Private[3].Enabled);
        cpu0.MmioWrite(TestVm.Sgi(gic, 1, IPriorityR + 27), 1, 0x80);
        Assert.Equal(0x80, gic.Vgic.Cpus[1].Private[27].Priority);
    }

    [Fact]
    public void SGIs_reset_enabled_and_edge_PPIs_disabled_and_level_and_their_configuration_is_read_only()
    {
        var (vm, gic) = TestVm.Create();
        var cpu = vm.Vcpus[0];
        Assert.Equal(0x0000_FFFFUL, cpu.MmioRead(TestVm.Sgi(gic, 0, ISEnableR0), 4));
        Assert.Equal(0xAAAA_AAAAUL, cpu.MmioRead(TestVm.Sgi(gic, 0, ICfgR), 4));
        Assert.Equal(0UL, cpu.MmioRead(TestVm.Sgi(gic, 0, ICfgR + 4), 4));
        cpu.MmioWrite(TestVm.Sgi(gic, 0, ICfgR), 4, 0);
        cpu.MmioWrite(TestVm.Sgi(gic, 0, ICfgR + 4), 4, 0xFFFF_FFFF);
        Assert.Equal(0xAAAA_AAAAUL, cpu.MmioRead(TestVm.Sgi(gic, 0, ICfgR), 4));
        Assert.Equal(0UL, cpu.MmioRead(TestVm.Sgi(gic, 0, ICfgR + 4), 4));
        Assert.Equal(0xFFFF_FFFFUL, cpu.MmioRead(TestVm.Sgi(gic, 0, IGroupR0), 4));
    }

    [Fact]
    public void Private_pending_and_enable_pairs_work_on_the_SGI_frame()
    {
        var (vm, gic) = TestVm.Create();
        var cpu = vm.Vcpus[0];
        cpu.MmioWrite(TestVm.Sgi(gic, 0, ISPendR0), 4, 1u << 20);
        Assert.Equal(1UL << 20, cpu.MmioRead(TestVm.Sgi(gic, 0, ICPendR0), 4));
        cpu.MmioWrite(TestVm.Sgi(gic, 0, ICPendR0), 4, 1u << 20);
        Assert.Equal(0UL, cpu.MmioRead(TestVm.Sgi(gic, 0, ISPendR0), 4));
        cpu.MmioWrite(TestVm.Sgi(gic, 0, ISEnableR0), 4, 1u << 20);
        Assert.Equal(0xFFFFUL | 1UL << 20, cpu.MmioRead(TestVm.Sgi(gic, 0, ISEnableR0), 4));
    }
}
