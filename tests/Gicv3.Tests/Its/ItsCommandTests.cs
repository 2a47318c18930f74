using IrqBench.Gicv3.Guest;
using IrqBench.Gicv3.Its;
using IrqBench.Machine.Contracts;
using C = IrqBench.Gicv3.Its.ItsCommand;
using T = IrqBench.Gicv3.Its.ItsCommandType;

namespace IrqBench.Gicv3.Tests.Its;

/// <summary>Each ITS command's effect on the translation state and on LPI delivery, and each error path: a bad
/// command is skipped and counted, and never stops the commands after it.</summary>
public class ItsCommandTests
{
    [Fact]
    public void MAPD_MAPC_MAPTI_and_INT_deliver_the_LPI_on_the_collections_redistributor()
    {
        var r = new ItsRig();
        r.Map(5, 3, 8300, 1);
        r.Cmd(C.Event(T.Int, 5, 3));
        Assert.True(r.Lpi(8300)!.IsPending);
        r.Run();
        Assert.Equal([8300u], r.AcksOn(1));
    }

    [Fact]
    public void MAPI_maps_the_EventID_itself_as_the_LPI()
    {
        var r = new ItsRig();
        r.Map(5, 0, 8192, 0);                      // the device table's page for DeviceIDs 0..8191
        r.Cmd(C.Mapd(9, 16, 0x4100_0000, valid: true)); // 16 EventID bits: EventIDs that are LPI numbers
        r.Cmd(C.Mapi(9, 8200, 1));
        Assert.NotNull(r.Lpi(8200));
        Assert.Same(r.Gic.Vgic.Cpus[1], r.Lpi(8200)!.TargetVcpu);
    }

    [Fact]
    public void MAPD_of_a_mapped_device_drops_its_mappings_and_MAPD_with_V0_unmaps_it()
    {
        var r = new ItsRig();
        r.Map(5, 3, 8300, 1);
        r.Cmd(C.Mapd(5, 8, 0x4000_0000, valid: true));
        Assert.Null(r.Lpi(8300));
        r.Cmd(C.Event(T.Int, 5, 3));
        Assert.Equal(1, r.Its.ErrorCount(ItsError.IntUnmappedInterrupt));
        r.Cmd(C.Mapd(5, 8, 0, valid: false));
        r.Cmd(C.Mapti(5, 3, 8300, 1));
        Assert.Equal(1, r.Its.ErrorCount(ItsError.MaptiUnmappedDevice));
    }

    [Fact]
    public void MAPTI_onto_an_existing_mapping_is_ignored()
    {
        var r = new ItsRig();
        r.Map(5, 3, 8300, 1);
        r.Cmd(C.Mapti(5, 3, 8400, 0));
        Assert.Null(r.Lpi(8400));
        Assert.Same(r.Gic.Vgic.Cpus[1], r.Lpi(8300)!.TargetVcpu);
    }

    [Fact]
    public void Remapping_a_collection_moves_its_LPIs_and_unmapping_it_stops_translation_for_good()
    {
        var r = new ItsRig(vcpus: 3);
        r.Map(5, 3, 8300, 1);
        r.Cmd(C.Mapc(1, 2, valid: true));
        Assert.Same(r.Gic.Vgic.Cpus[2], r.Lpi(8300)!.TargetVcpu);
        r.Cmd(C.Mapc(1, 0, valid: false));
        r.Cmd(C.Event(T.Int, 5, 3));
        Assert.Equal(1, r.Its.ErrorCount(ItsError.IntUnmappedInterrupt));
        Assert.False(r.Lpi(8300)!.IsPending);
        // vgic_its_free_collection left the ITE without a collection: mapping the ICID again does not give it one
        // back, and MOVI needs the ITE's own collection mapped (E_ITS_MOVI_UNMAPPED_COLLECTION).
        r.Cmd(C.Mapc(1, 2, valid: true));
        r.Cmd(C.Movi(5, 3, 1));
        Assert.Equal(1, r.Its.ErrorCount(ItsError.MoviUnmappedCollection));
        r.Cmd(C.Event(T.Int, 5, 3));
        Assert.Equal(2, r.Its.ErrorCount(ItsError.IntUnmappedInterrupt));
    }

    [Fact]
    public void A_MAPC_whose_RDbase_is_out_of_range_is_rejected_even_with_V0_and_changes_nothing()
    {
        // vgic_its_cmd_handle_mapc checks RDbase (a processor number, GITS_TYPER.PTA = 0) against the vCPUs before it
        // looks at V: an unmap naming a redistributor that does not exist is E_ITS_MAPC_PROCNUM_OOR and is skipped.
        var r = new ItsRig();
        r.Map(5, 3, 8300, 1);
        r.Cmd(C.Mapc(1, 2, valid: false)); // RDbase 2 on a VM of two vCPUs
        Assert.Equal(1, r.Its.ErrorCount(ItsError.MapcProcnumOor));
        Assert.True(r.Its.Collections[1].IsMapped);
        r.Cmd(C.Event(T.Int, 5, 3));
        Assert.Equal(0, r.Its.ErrorCount(ItsError.IntUnmappedInterrupt));
        r.Run();
        Assert.Equal([8300u], r.AcksOn(1));
    }

    [Fact]
    public void Making_the_collection_table_invalid_frees_every_collection_and_its_ITEs_stay_unmapped_until_mapped_again()
    {
        // GITS_BASER1.Valid = 0 frees the collections as MAPC with V = 0 does (KVM: vgic_its_free_collection_list):
        // each ITE loses its collection, so neither restoring Valid nor mapping the ICID again translates the event,
        // and KVM's MOVI refuses an ITE without a mapped collection. Only a new mapping of the event delivers it.
        var r = new ItsRig();
        r.Map(5, 3, 8300, 1);
        ulong ctlr = r.Gic.Config.ItsBase, baser1 = ctlr + 0x108;
        ulong table = r.Cpu0.MmioRead(baser1, 8);
        r.Cpu0.MmioWrite(ctlr, 4, 0); // the BASERs are writable only while the ITS is disabled
        r.Cpu0.MmioWrite(baser1, 8, table & ~VgicIts.BaserValid);
        r.Cpu0.MmioWrite(baser1, 8, table);
        r.Cpu0.MmioWrite(ctlr, 4, VgicIts.CtlrEnabled);
        Assert.Equal(VgicIts.CtlrEnabled, r.Cpu0.MmioRead(ctlr, 4) & VgicIts.CtlrEnabled);
        r.Cmd(C.Mapc(1, 1, valid: true));
        r.Cmd(C.Event(T.Int, 5, 3));
        Assert.Equal(1, r.Its.ErrorCount(ItsError.IntUnmappedInterrupt));
        Assert.False(r.Lpi(8300)!.IsPending);
        r.Cmd(C.Movi(5, 3, 1));
        Assert.Equal(1, r.Its.ErrorCount(ItsError.MoviUnmappedCollection));
        r.Msi(1000, 5, 3);
        r.Guests[0].StepGap = 100_000;
        r.Guests[0].Steps.Enqueue(_ => { });
        r.Guests[0].Steps.Enqueue(c =>
        {
            Assert.Empty(r.Acks);
            Assert.Equal(1, r.Its.MsisDropped.Value);
            ulong itt = r.Its.Devices[5].IttAddress;
            r.Cmd(C.Mapd(5, ItsGuestDriver.DeviceEventBits, itt, valid: true)); // frees the orphaned ITE
            r.Cmd(C.Mapti(5, 3, 8300, 1));
            r.Cmd(C.Event(T.Int, 5, 3));
        });
        r.Run();
        Assert.Equal([8300u], r.AcksOn(1));
    }

    [Fact]
    public void MAPTI_into_an_unknown_collection_waits_for_its_MAPC()
    {
        var r = new ItsRig();
        r.Map(5, 0, 8192, 0);
        r.Cmd(C.Mapti(5, 1, 8193, 77));
        r.Cmd(C.Event(T.Int, 5, 1));
        Assert.Equal(1, r.Its.ErrorCount(ItsError.IntUnmappedInterrupt));
        r.Cmd(C.Mapc(77, 1, valid: true));
        r.Cmd(C.Event(T.Int, 5, 1));
        Assert.True(r.Lpi(8193)!.IsPending);
    }

    [Fact]
    public void MOVI_carries_the_pending_state_to_the_new_redistributor()
    {
        var r = new ItsRig();
        r.Map(5, 3, 8300, 0);
        r.SetProperty(8300, ItsGuestDriver.PropDefault); // disabled (no INV yet: still enabled in KVM's cache)
        r.Cmd(C.Event(T.Inv, 5, 3));
        r.Cmd(C.Event(T.Int, 5, 3));                     // pending, but disabled: queued nowhere
        r.Cmd(C.Movi(5, 3, 1));
        Assert.True(r.Lpi(8300)!.IsPending);
        r.SetProperty(8300, ItsGuestDriver.PropDefault | ItsGuestDriver.PropEnabled);
        r.Cmd(C.Event(T.Inv, 5, 3));
        r.Run();
        Assert.Equal([8300u], r.AcksOn(1));
        Assert.Empty(r.AcksOn(0));
    }

    [Fact]
    public void MOVALL_carries_every_pending_LPI_of_a_redistributor_to_another()
    {
        var r = new ItsRig(vcpus: 3);
        r.Map(5, 0, 8300, 0);
        r.Map(5, 1, 8301, 0);
        r.Cpu0.SysregWrite(IrqBench.Gicv3.CpuInterface.IccSysRegs.Igrpen1, 0); // vCPU0 takes nothing meanwhile
        r.Cmd(C.Event(T.Int, 5, 0));
        r.Cmd(C.Event(T.Int, 5, 1));
        r.Cmd(C.Movall(0, 2));
        Assert.All(new[] { 8300u, 8301u }, i => Assert.Same(r.Gic.Vgic.Cpus[2], r.Lpi(i)!.TargetVcpu));
        r.Guests[0].Steps.Enqueue(c => c.MmioRead(r.Gic.Config.DistributorBase, 4)); // an exit: prune moves them
        r.Run();
        Assert.Equal([8300u, 8301u], r.AcksOn(2).Order());
    }

    [Fact]
    public void DISCARD_removes_the_mapping_and_the_pending_state()
    {
        var r = new ItsRig();
        r.Map(5, 3, 8300, 1);
        r.SetProperty(8300, ItsGuestDriver.PropDefault);
        r.Cmd(C.Event(T.Inv, 5, 3));
        r.Cmd(C.Event(T.Int, 5, 3));
        var irq = r.Lpi(8300)!;
        Assert.True(irq.IsPending);
        r.Cmd(C.Event(T.Discard, 5, 3));
        Assert.False(irq.IsPending);
        Assert.Null(r.Lpi(8300));
        r.Cmd(C.Event(T.Int, 5, 3));
        Assert.Equal(1, r.Its.ErrorCount(ItsError.IntUnmappedInterrupt));
        r.Run();
        Assert.Empty(r.Acks);
    }

    [Fact]
    public void A_property_change_takes_effect_only_after_INV_or_INVALL()
    {
        var r = new ItsRig();
        r.Map(5, 3, 8300, 1);
        r.SetProperty(8300, 0x40 | 0x2); // disabled, priority 0x40
        Assert.True(r.Lpi(8300)!.Enabled);
        r.Cmd(C.Event(T.Inv, 5, 3));
        Assert.False(r.Lpi(8300)!.Enabled);
        Assert.Equal(0x40, r.Lpi(8300)!.Priority);
        r.SetProperty(8300, 0x80 | 0x3);
        r.Cmd(C.Invall(1));
        Assert.True(r.Lpi(8300)!.Enabled);
        Assert.Equal(0x80, r.Lpi(8300)!.Priority);
    }

    [Fact]
    public void CLEAR_removes_a_pending_LPI_and_SYNC_does_nothing()
    {
        var r = new ItsRig();
        r.Map(5, 3, 8300, 1);
        r.SetProperty(8300, ItsGuestDriver.PropDefault);
        r.Cmd(C.Event(T.Inv, 5, 3));
        r.Cmd(C.Event(T.Int, 5, 3));
        r.Cmd(C.Event(T.Clear, 5, 3));
        r.Cmd(C.Sync(1));
        Assert.False(r.Lpi(8300)!.IsPending);
    }

    [Fact]
    public void An_LPI_disabled_in_the_property_table_is_never_delivered()
    {
        var r = new ItsRig();
        r.Map(5, 3, 8300, 1);
        r.SetProperty(8300, ItsGuestDriver.PropDefault);
        r.Cmd(C.Event(T.Inv, 5, 3));
        r.Msi(1000, 5, 3);
        r.Run();
        Assert.Empty(r.Acks);
        Assert.True(r.Lpi(8300)!.IsPending);
    }

    [Fact]
    public void An_event_that_is_not_mapped_is_never_delivered()
    {
        var r = new ItsRig();
        r.Map(5, 3, 8300, 1);
        r.Msi(1000, 5, 4);  // unmapped event
        r.Msi(1000, 6, 3);  // unmapped device
        r.Run();
        Assert.Empty(r.Acks);
        Assert.Equal(2, r.Its.MsisDropped.Value);
    }

    public static TheoryData<string, ItsError> Errors => new()
    {
        { "mapd-device-oor", ItsError.MapdDeviceOor },
        { "mapd-l2-missing", ItsError.MapdDeviceOor },
        { "mapd-itt-oor", ItsError.MapdIttSizeOor },
        { "mapc-procnum", ItsError.MapcProcnumOor },
        { "mapc-collection-oor", ItsError.MapcCollectionOor },
        { "mapti-device", ItsError.MaptiUnmappedDevice },
        { "mapti-id", ItsError.MaptiIdOor },
        { "mapti-physical-low", ItsError.MaptiPhysicalIdOor },
        { "mapti-physical-high", ItsError.MaptiPhysicalIdOor },
        { "movi-interrupt", ItsError.MoviUnmappedInterrupt },
        { "movi-collection", ItsError.MoviUnmappedCollection },
        { "int", ItsError.IntUnmappedInterrupt },
        { "clear", ItsError.ClearUnmappedInterrupt },
        { "inv", ItsError.InvUnmappedInterrupt },
        { "invall", ItsError.InvallUnmappedCollection },
        { "movall", ItsError.MovallProcnumOor },
        { "discard", ItsError.DiscardUnmappedInterrupt },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void A_bad_command_is_skipped_counted_and_the_next_command_still_runs(string what, ItsError expected)
    {
        var r = new ItsRig();
        r.Map(5, 3, 8300, 1);
        C bad = what switch
        {
            "mapd-device-oor" => C.Mapd(1u << 16, 8, 0x4000_0000, true),
            "mapd-l2-missing" => C.Mapd(40_000, 8, 0x4000_0000, true), // its level-2 page was never provided
            "mapd-itt-oor" => C.Mapd(5, 17, 0x4000_0000, true),
            "mapc-procnum" => C.Mapc(3, 9, true),
            "mapc-collection-oor" => C.Mapc(60_000, 1, true),
            "mapti-device" => C.Mapti(6, 0, 8400, 1),
            "mapti-id" => C.Mapti(5, 1u << ItsGuestDriver.DeviceEventBits, 8400, 1),
            "mapti-physical-low" => C.Mapti(5, 4, 8191, 1),
            "mapti-physical-high" => C.Mapti(5, 4, 1u << 16, 1),
            "movi-interrupt" => C.Movi(5, 4, 1),
            "movi-collection" => C.Movi(5, 3, 9),
            "int" => C.Event(T.Int, 5, 4),
            "clear" => C.Event(T.Clear, 6, 3),
            "inv" => C.Event(T.Inv, 5, 9),
            "invall" => C.Invall(9),
            "movall" => C.Movall(0, 7),
            "discard" => C.Event(T.Discard, 5, 4),
            _ => throw new ArgumentException(what),
        };
        // both in one CWRITER write: the bad one first
        r.Driver.Write(bad);
        r.Driver.Write(C.Event(T.Int, 5, 3));
        r.Cpu0.MmioWrite(r.Gic.Config.ItsBase + 0x88, 8, r.Driver.WritePointer);
        Assert.Equal(r.Driver.WritePointer, r.Cpu0.MmioRead(r.Gic.Config.ItsBase + 0x90, 8));
        Assert.Equal(1, r.Its.ErrorCount(expected));
        Assert.True(r.Lpi(8300)!.IsPending);
        Assert.Same(r.Gic.Vgic.Cpus[1], r.Lpi(8300)!.TargetVcpu);
    }

    [Fact]
    public void An_unknown_command_is_ignored()
    {
        var r = new ItsRig();
        r.Map(5, 3, 8300, 1);
        r.Cmd(new C(0x7F, 0, 0, 0));
        r.Cmd(C.Event(T.Int, 5, 3));
        Assert.True(r.Lpi(8300)!.IsPending);
    }

    [Fact]
    public void The_command_queue_wraps_at_its_end()
    {
        var r = new ItsRig();
        r.Map(5, 3, 8300, 1);
        const int perQueue = 0x1_0000 / C.Size;
        for (int i = 0; i < perQueue + 10; i++) r.Cmd(C.Sync(0));
        Assert.True(r.Its.Creadr < 0x1000);
        r.Cmd(C.Event(T.Int, 5, 3));
        Assert.True(r.Lpi(8300)!.IsPending);
        Assert.Equal(r.Its.Cwriter, r.Its.Creadr);
    }
}
