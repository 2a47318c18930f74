using IrqBench.Gicv3.Its;
using IrqBench.Gicv3.Registers;

namespace IrqBench.Gicv3.Tests.Its;

/// <summary>The GITS registers as KVM's vITS presents them.</summary>
public class ItsRegisterTests
{
    private readonly (Machine.VirtualMachine Vm, Gicv3Controller Gic) t = TestVm.Create(2);
    private Machine.Vcpus.Vcpu Cpu => t.Vm.Vcpus[0];
    private ulong G(ulong offset) => t.Gic.Config.ItsBase + offset;

    [Fact]
    public void TYPER_IIDR_and_ID_registers_are_KVMs()
    {
        ulong typer = Cpu.MmioRead(G(0x8), 8);
        Assert.Equal(1UL, typer & 1);                  // PLPIS
        Assert.Equal(0UL, typer & 2);                  // no Virtual
        Assert.Equal(7UL, (typer >> 4) & 0xF);         // 8-byte ITT entries
        Assert.Equal(15UL, (typer >> 8) & 0x1F);       // 16 EventID bits
        Assert.Equal(15UL, (typer >> 13) & 0x1F);      // 16 DeviceID bits
        Assert.Equal(0UL, typer & (1UL << 19));        // PTA = 0
        Assert.Equal(typer >> 32, Cpu.MmioRead(G(0xC), 4));
        Assert.Equal(0x4B00_043BUL, Cpu.MmioRead(G(0x4), 4));
        Assert.Equal(0x3BUL, Cpu.MmioRead(G(0xFFE8), 4));
        Assert.Equal(0xB1UL, Cpu.MmioRead(G(0xFFFC), 4));
        ulong gicdTyper = Cpu.MmioRead(t.Gic.Config.DistributorBase + Gicd.Typer, 4);
        Assert.Equal(1UL << 17, gicdTyper & (1UL << 17)); // LPIS
        Assert.Equal(15UL, (gicdTyper >> 19) & 0x1F);      // 16 ID bits
        Assert.Equal(1UL, Cpu.MmioRead(TestVm.Rd(t.Gic, 1, Gicr.Typer), 8) & 1); // PLPIS
    }

    [Fact]
    public void The_BASERs_show_their_type_and_entry_size_and_force_64KiB_pages_and_the_others_are_RAZ_WI()
    {
        ulong dev = Cpu.MmioRead(G(0x100), 8);
        Assert.Equal(VgicIts.BaserTypeDevice, (dev >> 56) & 7);
        Assert.Equal(7UL, (dev >> 48) & 0x1F);
        Cpu.MmioWrite(G(0x108), 8, 0x4000_0000UL | VgicIts.BaserValid | VgicIts.BaserIndirect | 0UL << 8 | 0x3UL << 56);
        ulong coll = Cpu.MmioRead(G(0x108), 8);
        Assert.Equal(VgicIts.BaserTypeCollection, (coll >> 56) & 7); // Type is read-only
        Assert.Equal(0UL, coll & VgicIts.BaserIndirect);             // no two-level collection table
        Assert.Equal(VgicIts.BaserPageSize64K, (coll >> 8) & 3);
        Assert.Equal(0x4000_0000UL, coll & 0x0000_FFFF_FFFF_F000);
        Cpu.MmioWrite(G(0x110), 8, 0xFFFF_FFFF_FFFF_FFFF);
        Assert.Equal(0UL, Cpu.MmioRead(G(0x110), 8));
    }

    [Fact]
    public void Enabling_is_refused_until_CBASER_and_both_BASERs_are_valid()
    {
        Cpu.MmioWrite(G(0x0), 4, 1);
        Assert.Equal(0UL, Cpu.MmioRead(G(0x0), 4) & 1);
        Cpu.MmioWrite(G(0x100), 8, 0x4000_0000UL | VgicIts.BaserValid);
        Cpu.MmioWrite(G(0x108), 8, 0x4001_0000UL | VgicIts.BaserValid);
        Cpu.MmioWrite(G(0x80), 8, 0x4002_0000UL | VgicIts.CbaserValid);
        Cpu.MmioWrite(G(0x0), 4, 1);
        Assert.Equal(VgicIts.CtlrEnabled | VgicIts.CtlrQuiescent, Cpu.MmioRead(G(0x0), 4));
        Cpu.MmioWrite(G(0x100), 8, 0);   // ignored while enabled
        Assert.NotEqual(0UL, Cpu.MmioRead(G(0x100), 8) & VgicIts.BaserValid);
        Cpu.MmioWrite(G(0x80), 8, 0);
        Assert.NotEqual(0UL, Cpu.MmioRead(G(0x80), 8) & VgicIts.CbaserValid);
    }

    [Fact]
    public void Writing_CBASER_resets_the_queue_pointers_and_CWRITER_beyond_the_queue_is_ignored()
    {
        Cpu.MmioWrite(G(0x80), 8, 0x4002_0000UL | VgicIts.CbaserValid); // one 4 KiB page
        Cpu.MmioWrite(G(0x88), 8, 0x1000);                              // beyond the queue
        Assert.Equal(0UL, Cpu.MmioRead(G(0x88), 8));
        Cpu.MmioWrite(G(0x88), 8, 0x40);                                // disabled: stored, not processed
        Assert.Equal(0x40UL, Cpu.MmioRead(G(0x88), 8));
        Assert.Equal(0UL, Cpu.MmioRead(G(0x90), 8));
        Assert.Equal(0UL, Cpu.MmioRead(G(0x0), 4) & VgicIts.CtlrQuiescent);
        Cpu.MmioWrite(G(0x80), 8, 0x4003_0000UL | VgicIts.CbaserValid);
        Assert.Equal(0UL, Cpu.MmioRead(G(0x88), 8));
        Cpu.MmioWrite(G(0x90), 8, 0x20);                                // CREADR is read-only to the guest
        Assert.Equal(0UL, Cpu.MmioRead(G(0x90), 8));
    }

    [Fact]
    public void A_CPU_write_to_GITS_TRANSLATER_is_ignored()
    {
        var rig = new ItsRig();
        rig.Map(1, 0, 8192, 1);
        rig.Cpu0.MmioWrite(rig.Driver.TranslaterAddress, 4, 0);
        Assert.False(rig.Lpi(8192)!.IsPending);
    }
}
