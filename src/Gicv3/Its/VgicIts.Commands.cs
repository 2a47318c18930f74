using IrqBench.Gicv3.Vgic;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Gicv3.Its;

internal sealed partial class VgicIts
{
    /// <summary>
    /// vgic_its_process_commands: while enabled, read each 32-byte command at CREADR, handle it under the its_lock
    /// and advance CREADR, wrapping at the end of the queue. A command that fails is skipped and its error counted
    /// (KVM ignores the return value); one that cannot be read from guest memory is skipped too. Nothing stalls.
    /// </summary>
    private void ProcessCommands(ExecContext ctx)
    {
        if (!Enabled) return;
        ulong queue = Cbaser & 0x000F_FFFF_FFFF_F000;
        var mem = vgic.Vm.Memory;
        while (Cwriter != Creadr)
        {
            ctx.ChargeHyp(Costs.ItsCmd);
            vgic.Vm.Metrics.ItsCommands.Value++;
            ulong at = queue + Creadr;
            if (mem.IsRam(at))
            {
                var cmd = new ItsCommand(mem.Read(at, 8), mem.Read(at + 8, 8), mem.Read(at + 16, 8), mem.Read(at + 24, 8));
                vgic.Vm.Trace?.Instant(ctx.CpuOwner, $"ITS {cmd.Type.ToString().ToUpperInvariant()}", ctx.Now);
                ctx.TakeLock(itsLock, 0);
                var e = Handle(ctx, cmd);
                if (e != ItsError.None) Error(e);
            }
            Creadr += ItsCommand.Size;
            if (Creadr == QueueSize) Creadr = 0;
        }
    }

    /// <summary>One command handled outside the guest's queue, as the host can make KVM handle it (the vgic's own
    /// dispatch under the its_lock): what an untrusted host can do to the ITS state it owns.</summary>
    internal ItsError HandleFromHost(ExecContext ctx, in ItsCommand cmd)
    {
        ctx.ChargeHyp(Costs.ItsCmd);
        ctx.TakeLock(itsLock, 0);
        return Handle(ctx, cmd);
    }

    private delegate ItsError CommandHandler(VgicIts its, ExecContext ctx, in ItsCommand cmd);

    /// <summary>vgic_its_handle_command's switch: the commands KVM's ITS serves.</summary>
    private static readonly Dictionary<ItsCommandType, CommandHandler> Dispatch = new()
    {
        [ItsCommandType.Mapd] = static (its, ctx, in cmd) => its.Mapd(ctx, cmd),
        [ItsCommandType.Mapc] = static (its, ctx, in cmd) => its.Mapc(ctx, cmd),
        [ItsCommandType.Mapti] = static (its, ctx, in cmd) => its.Mapti(ctx, cmd, cmd.PhysicalId),
        [ItsCommandType.Mapi] = static (its, ctx, in cmd) => its.Mapti(ctx, cmd, cmd.EventId),
        [ItsCommandType.Movi] = static (its, ctx, in cmd) => its.Movi(ctx, cmd),
        [ItsCommandType.Discard] = static (its, ctx, in cmd) => its.Discard(ctx, cmd),
        [ItsCommandType.Clear] = static (its, ctx, in cmd) => its.Clear(ctx, cmd),
        [ItsCommandType.Int] = static (its, ctx, in cmd) => its.Int(ctx, cmd),
        [ItsCommandType.Inv] = static (its, ctx, in cmd) => its.Inv(ctx, cmd),
        [ItsCommandType.Invall] = static (its, ctx, in cmd) => its.Invall(ctx, cmd),
        [ItsCommandType.Movall] = static (its, ctx, in cmd) => its.Movall(ctx, cmd),
        [ItsCommandType.Sync] = static (_, _, in _) => ItsError.None, // "we are in sync all of the time"
    };

    /// <summary>The command types the dispatch serves (the trust comparison counts them).</summary>
    internal static IReadOnlyCollection<ItsCommandType> CommandsServed => Dispatch.Keys;

    /// <summary>vgic_its_handle_command: an unknown command is ignored.</summary>
    internal ItsError Handle(ExecContext ctx, in ItsCommand cmd) =>
        Dispatch.TryGetValue(cmd.Type, out var handler) ? handler(this, ctx, cmd) : ItsError.None;

    private VgicCpu? Vcpu(uint processor) => processor < (uint)vgic.Cpus.Length ? vgic.Cpus[processor] : null;
    private VgicCpu? Target(ItsCollection? c) => c is { IsMapped: true } ? Vcpu(c.TargetAddress) : null;

    private ItsDevice? FindDevice(ExecContext ctx, uint id)
    {
        ctx.ChargeHyp(Costs.ItsTableWalk);
        return devices.TryGetValue(id, out var d) ? d : null;
    }

    private ItsIte? FindIte(ExecContext ctx, uint device, uint eventId) =>
        FindDevice(ctx, device) is { } d && d.Ites.TryGetValue(eventId, out var ite) ? ite : null;

    private ItsCollection? FindCollection(ExecContext ctx, uint id)
    {
        ctx.ChargeHyp(Costs.ItsTableWalk);
        return collections.TryGetValue(id, out var c) ? c : null;
    }

    /// <summary>MAPD: (re)map a DeviceID to an ITT of 2^(Size+1) events, or unmap it. Re-mapping a mapped device
    /// first frees it and all its ITEs ("invalidates all cached data for this device").</summary>
    private ItsError Mapd(ExecContext ctx, in ItsCommand cmd)
    {
        ctx.ChargeHyp(Costs.ItsTableWalk);
        if (!CheckId(BaserDevice, cmd.DeviceId)) return ItsError.MapdDeviceOor;
        if (cmd.Valid && cmd.EventIdBits > IdBits) return ItsError.MapdIttSizeOor;
        if (FindDevice(ctx, cmd.DeviceId) is { } old) FreeDevice(ctx, old);
        if (cmd.Valid) devices[cmd.DeviceId] = new ItsDevice(cmd.DeviceId, cmd.IttAddress, cmd.EventIdBits);
        return ItsError.None;
    }

    /// <summary>MAPC: map a collection to a processor (its LPIs follow a remap), or unmap it. RDbase is checked
    /// first, whatever V says (vgic_its_cmd_handle_mapc): an unmap naming no vCPU is refused too.</summary>
    private ItsError Mapc(ExecContext ctx, in ItsCommand cmd)
    {
        uint id = cmd.CollectionId;
        if (Vcpu(cmd.TargetAddress) is not { } vcpu) return ItsError.MapcProcnumOor;
        if (!cmd.Valid)
        {
            if (collections.TryGetValue(id, out var gone)) FreeCollection(gone);
            InvalidateCache();
            return ItsError.None;
        }
        if (FindCollection(ctx, id) is { } c)
        {
            c.TargetAddress = cmd.TargetAddress;
            foreach (var d in devices.Values)
                foreach (var ite in d.Ites.Values)
                    if (ite.Collection == c) vgic.UpdateLpiAffinity(ctx, ite.Irq, vcpu);
            return ItsError.None;
        }
        ctx.ChargeHyp(Costs.ItsTableWalk);
        if (!CheckId(BaserCollection, id)) return ItsError.MapcCollectionOor;
        collections[id] = new ItsCollection(id) { TargetAddress = cmd.TargetAddress };
        return ItsError.None;
    }

    /// <summary>MAPTI / MAPI: EventID → LPI pINTID in a collection. The device must be mapped, the EventID inside
    /// its ITT, the pINTID an LPI below the property table's limit; an existing mapping is left alone (UNPREDICTABLE);
    /// an unknown collection is created unmapped (KVM).</summary>
    private ItsError Mapti(ExecContext ctx, in ItsCommand cmd, uint lpi)
    {
        if (FindDevice(ctx, cmd.DeviceId) is not { } device) return ItsError.MaptiUnmappedDevice;
        if (!CheckEventId(device, cmd.EventId)) return ItsError.MaptiIdOor;
        if (lpi < KvmVgic.FirstLpi || lpi >= vgic.LpiLimit) return ItsError.MaptiPhysicalIdOor;
        if (device.Ites.ContainsKey(cmd.EventId)) return ItsError.None;
        var collection = FindCollection(ctx, cmd.CollectionId);
        if (collection is null)
        {
            if (!CheckId(BaserCollection, cmd.CollectionId)) return ItsError.MapcCollectionOor;
            collections[cmd.CollectionId] = collection = new ItsCollection(cmd.CollectionId);
        }
        var irq = vgic.AddLpi(ctx, lpi, Target(collection), ForwardLpis);
        device.Ites[cmd.EventId] = new ItsIte(cmd.EventId, collection, irq);
        return ItsError.None;
    }

    /// <summary>vgic_its_check_event_id: inside the device's EventID range and its ITT slot in guest memory.</summary>
    private bool CheckEventId(ItsDevice device, uint eventId) =>
        eventId < 1UL << device.EventIdBits && vgic.Vm.Memory.IsRam(device.IttAddress + (ulong)eventId * IteSize);

    /// <summary>MOVI: the ITE moves to another collection, its LPI (and pending state) to that redistributor.</summary>
    private ItsError Movi(ExecContext ctx, in ItsCommand cmd)
    {
        if (FindIte(ctx, cmd.DeviceId, cmd.EventId) is not { } ite) return ItsError.MoviUnmappedInterrupt;
        if (ite.Collection is not { IsMapped: true }) return ItsError.MoviUnmappedCollection;
        if (FindCollection(ctx, cmd.CollectionId) is not { IsMapped: true } collection) return ItsError.MoviUnmappedCollection;
        ite.Collection = collection;
        InvalidateCache();
        vgic.UpdateLpiAffinity(ctx, ite.Irq, Target(collection));
        return ItsError.None;
    }

    /// <summary>DISCARD: the ITE goes, and with it the LPI's pending state (KVM needs a mapped collection).</summary>
    private ItsError Discard(ExecContext ctx, in ItsCommand cmd)
    {
        if (FindIte(ctx, cmd.DeviceId, cmd.EventId) is not { Collection.IsMapped: true } ite)
            return ItsError.DiscardUnmappedInterrupt;
        InvalidateCache();
        devices[cmd.DeviceId].Ites.Remove(cmd.EventId);
        ClearPending(ctx, ite.Irq);
        vgic.PutLpi(ctx, ite.Irq);
        return ItsError.None;
    }

    /// <summary>CLEAR: the LPI's pending state is cleared (one already in a list register stays there until the
    /// next fold, as in KVM).</summary>
    private ItsError Clear(ExecContext ctx, in ItsCommand cmd)
    {
        if (FindIte(ctx, cmd.DeviceId, cmd.EventId) is not { } ite) return ItsError.ClearUnmappedInterrupt;
        ClearPending(ctx, ite.Irq);
        return ItsError.None;
    }

    private void ClearPending(ExecContext ctx, VgicIrq irq)
    {
        if (irq.DirectInjection) { vgic.V4SetPending(ctx, irq, false); return; }
        vgic.LockIrq(ctx, irq);
        irq.PendingLatch = false;
    }

    /// <summary>INT: as if the device had written GITS_TRANSLATER (vgic_its_trigger_msi).</summary>
    private ItsError Int(ExecContext ctx, in ItsCommand cmd)
    {
        var r = Resolve(ctx, cmd.DeviceId, cmd.EventId, out var irq);
        if (r == Translation.Ok) Trigger(ctx, irq!);
        return r == Translation.Unmapped ? ItsError.IntUnmappedInterrupt : ItsError.None;
    }

    /// <summary>INV: re-read the LPI's configuration byte.</summary>
    private ItsError Inv(ExecContext ctx, in ItsCommand cmd)
    {
        if (FindIte(ctx, cmd.DeviceId, cmd.EventId) is not { } ite) return ItsError.InvUnmappedInterrupt;
        vgic.UpdateLpiConfig(ctx, ite.Irq, null);
        return ItsError.None;
    }

    /// <summary>INVALL: re-read the configuration of every LPI of the collection's redistributor.</summary>
    private ItsError Invall(ExecContext ctx, in ItsCommand cmd)
    {
        if (FindCollection(ctx, cmd.CollectionId) is not { IsMapped: true } c || Target(c) is not { } vcpu)
            return ItsError.InvallUnmappedCollection;
        vgic.InvallLpis(ctx, vcpu);
        return ItsError.None;
    }

    /// <summary>MOVALL: every LPI aimed at the first redistributor moves, with its pending state, to the second.</summary>
    private ItsError Movall(ExecContext ctx, in ItsCommand cmd)
    {
        if (Vcpu(cmd.TargetAddress) is not { } from || Vcpu(cmd.TargetAddress2) is not { } to) return ItsError.MovallProcnumOor;
        if (from == to) return ItsError.None;
        foreach (var irq in vgic.Lpis.Values)
            if (irq.Mapped && irq.TargetVcpu == from) vgic.UpdateLpiAffinity(ctx, irq, to);
        InvalidateCache();
        return ItsError.None;
    }

    /// <summary>vgic_its_free_device: every ITE goes (and its LPI reference).</summary>
    private void FreeDevice(ExecContext ctx, ItsDevice device)
    {
        foreach (var ite in device.Ites.Values) vgic.PutLpi(ctx, ite.Irq);
        device.Ites.Clear();
        devices.Remove(device.DeviceId);
        InvalidateCache();
    }

    private void FreeAllDevices(ExecContext ctx)
    {
        foreach (var d in devices.Values.ToArray()) FreeDevice(ctx, d);
    }

    /// <summary>vgic_its_free_collection: the collection goes, and every ITE in it is left without one (a later MAPC
    /// of the same ICID does not bring them back).</summary>
    private void FreeCollection(ItsCollection collection)
    {
        foreach (var d in devices.Values)
            foreach (var ite in d.Ites.Values)
                if (ite.Collection == collection) ite.Collection = null;
        collections.Remove(collection.Id);
    }

    /// <summary>vgic_its_free_collection_list.</summary>
    private void FreeAllCollections()
    {
        foreach (var c in collections.Values.ToArray()) FreeCollection(c);
    }
}
