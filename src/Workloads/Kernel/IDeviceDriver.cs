using IrqBench.Machine.Contracts;
using IrqBench.Machine.Vcpus;

namespace IrqBench.Workloads.Kernel;

/// <summary>A device driver's interrupt handler (the irq_handler_t given to request_irq), called between the chip's
/// acknowledge and completion on the vCPU that took the interrupt.</summary>
public interface IDeviceDriver
{
    void OnInterrupt(GuestKernel k, Vcpu cpu, DeviceIrq irq);
}
