namespace IrqBench.Machine.Costs;

/// <summary>How the hypervisor is organised (DESIGN §3). It decides what a trap costs from where it is handled.</summary>
public enum Organisation
{
    /// <summary>Host kernel at EL2 (VHE): a trap handled in the kernel costs one guest exit and entry.</summary>
    Vhe,
    /// <summary>Host at EL1 (split mode): a trap handled in the host also pays the EL2↔host world switch both ways.</summary>
    Nvhe,
    /// <summary>Split mode with a small trusted EL2 that handles what it owns without a host round trip and forwards
    /// everything else to the untrusted host.</summary>
    Pkvm,
}

/// <summary>Where a trap handler runs.</summary>
public enum Placement
{
    /// <summary>The hypervisor at EL2. Under VHE this is the host kernel itself.</summary>
    El2,
    /// <summary>The host kernel (KVM proper).</summary>
    HostKernel,
    /// <summary>The VMM in host user space (QEMU, kvmtool): KVM_RUN returns to it.</summary>
    VmmUser,
}
