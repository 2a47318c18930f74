namespace IrqBench.Rvic.Abi;

// The function IDs of IrqBench's rVIC variants (rvic.md §12–§15). Like the base IDs they are SMC64 fast calls of
// owner 5, placeholders in the prototype's style; each variant has a range of its own above the base ABI's
// 0xC5000100–0xC500020A, so a variant's calls can never be taken for a base call or for another variant's.

/// <summary>rvic-prio (rvic.md §12): per-INTID priority, a priority mask and a priority drop.</summary>
public static class RvicPrioFunctions
{
    public const uint Base = 0xC500_0300;
    /// <summary>SET_PRIORITY(x1 target MPIDR, x2 intid, x3 priority 0..255).</summary>
    public const uint SetPriority = Base + 0;
    /// <summary>SET_PRIORITY_MASK(x1 mask 0..255) on the caller's own instance; x1 out = the previous mask.</summary>
    public const uint SetPriorityMask = Base + 1;
    /// <summary>EOI(x1 intid): the caller's own active INTID is deactivated and the running priority drops.</summary>
    public const uint Eoi = Base + 2;
    public const uint Last = Eoi;

    /// <summary>A priority is delivered only if numerically below the mask and the running priority (0 highest).</summary>
    public const uint MaxPriority = 0xFF;
    /// <summary>Every INTID's priority at reset: Linux's GICD_INT_DEF_PRI [unverified], what irq-gic-v3 gives every
    /// interrupt that is not an NMI.</summary>
    public const uint DefaultPriority = 0xA0;
    /// <summary>Linux's pseudo-NMI priority, GICD_INT_NMI_PRI (0x20) [unverified].</summary>
    public const uint NmiPriority = 0x20;
    /// <summary>The priority mask at reset: nothing below 0xFF is masked.</summary>
    public const uint ResetMask = 0xFF;
    /// <summary>Linux's GIC_PRIO_IRQON (0xE0) and GIC_PRIO_IRQOFF (0x60) [unverified]: local_irq_enable and
    /// local_irq_disable in pseudo-NMI mode.</summary>
    public const uint MaskIrqOn = 0xE0, MaskIrqOff = 0x60;
}

/// <summary>rvic-level (rvic.md §13): level-triggered rVID inputs.</summary>
public static class RvidLevelFunctions
{
    public const uint Base = 0xC500_0310;
    /// <summary>RVID_RESAMPLE(x1 input): re-pends the input's mapped INTID while the input's line is high.</summary>
    public const uint Resample = Base + 0;
    public const uint Last = Resample;
}

/// <summary>rvic-msi (rvic.md §14): the rVID's virtual MSI frame.</summary>
public static class RvidMsiFunctions
{
    public const uint Base = 0xC500_0320;
    /// <summary>RVID_MSI_INFO(x1 key): key 0 the frame's guest physical address, 1 its first input, 2 its input count.</summary>
    public const uint Info = Base + 0;
    public const uint Last = Info;

    public const ulong InfoFrameAddress = 0, InfoFirstInput = 1, InfoInputCount = 2;
}

/// <summary>rvic-fused, IrqBench's own design (rvic.md §15): completion and the next acknowledge in one call.</summary>
public static class RvicFusedFunctions
{
    public const uint Base = 0xC500_0330;
    /// <summary>COMPLETE_ACKNOWLEDGE(x1 intid): CLEAR_MASKED(self, intid) then ACKNOWLEDGE, in one hypercall.</summary>
    public const uint CompleteAcknowledge = Base + 0;
    public const uint Last = CompleteAcknowledge;
}
