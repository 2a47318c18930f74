using IrqBench.Gicv3.Guest;
using IrqBench.Gicv3.Its;
using IrqBench.Machine;
using IrqBench.Machine.Contracts;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Gicv3.Tests.Its;

/// <summary>A VM whose GIC has been brought up by the Linux driver (ITS probed, LPIs enabled on every
/// redistributor, each CPU's collection mapped), with raw access to the command queue.</summary>
internal sealed class ItsRig
{
    public readonly VirtualMachine Vm;
    public readonly Gicv3Controller Gic;
    public readonly Gicv3GuestDriver Chip;
    public readonly List<Ack> Acks = [];
    public readonly ScriptGuest[] Guests;
    public readonly HostEvents Host;

    public ItsRig(int vcpus = 2, Gicv3Config? config = null, bool wfi = false)
    {
        (Vm, Gic) = TestVm.Create(vcpus, config);
        Chip = new Gicv3GuestDriver(Vm, Gic);
        Chip.InitBootCpu(Vm.Vcpus[0]);
        foreach (var v in Vm.Vcpus) Chip.InitCpu(v);
        Guests = Vm.Vcpus.Select(_ => new ScriptGuest(Acks, wfi)).ToArray();
        Host = new HostEvents(Vm);
    }

    public VgicIts Its => Gic.Its!;
    public ItsGuestDriver Driver => Chip.Its!;
    public Vcpu Cpu0 => Vm.Vcpus[0];

    /// <summary>Posts one command from vCPU0 and waits for it (CWRITER write, CREADR read).</summary>
    public void Cmd(ItsCommand cmd) => Driver.SendNoSync(Cpu0, cmd);

    public IrqBench.Gicv3.Vgic.VgicIrq? Lpi(uint intid) => Gic.Vgic.GetIrq(null, intid);

    /// <summary>Maps (device, event) to an enabled LPI on <paramref name="cpu"/>'s collection, as Linux does.</summary>
    public DeviceIrq Map(uint device, uint eventId, uint lpi, int cpu) =>
        Chip.MapDeviceEvent(Cpu0, new DeviceId(device), eventId, lpi, new VcpuId(cpu));

    /// <summary>The property byte of <paramref name="lpi"/> (written without INV).</summary>
    public void SetProperty(uint lpi, byte prop) =>
        Vm.Memory.WriteByte((Gic.Vgic.Dist.PropBaser & 0x000F_FFFF_FFFF_F000) + lpi - 8192, prop);

    public void Msi(long at, uint device, uint eventId) =>
        Host.At(at, h => Gic.SignalMsi(h, new DeviceId(device), new MsiMessage(Driver.TranslaterAddress, eventId)));

    public void Run(long limit = 50_000_000)
    {
        Vm.Boot(v => Guests[v.Id.Value]);
        Vm.Run(limit);
    }

    public uint[] AcksOn(int vcpu) => Acks.Where(a => a.Vcpu == vcpu).Select(a => a.IntId).ToArray();
}
