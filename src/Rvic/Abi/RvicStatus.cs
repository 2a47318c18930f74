namespace IrqBench.Rvic.Abi;

/// <summary>The reason codes of the status word (rvic.md §2.2, HDR's RVIx_STATUS_*). rVID uses only the first two.</summary>
public enum RvicReason : byte
{
    Success = 0,
    ErrorParameter = 1,
    InvalidCpu = 2,
    Disabled = 3,
    NoInterrupts = 4,
}

/// <summary>
/// The status word returned in x0: the reason in bits [7:0] and, for an error, the 0-based index of the faulting
/// argument in bits [15:8] (x1 is index 0). Callers compare the reason, not the whole word (rvic.md §9 quirk 6).
/// </summary>
public readonly record struct RvicStatus(RvicReason Reason, byte Index = 0)
{
    public static readonly RvicStatus Success = new(RvicReason.Success);

    public bool IsSuccess => Reason == RvicReason.Success;

    public ulong Encode() => (ulong)Reason | ((ulong)Index << 8);

    public static RvicStatus Decode(ulong x0) => new((RvicReason)(byte)x0, (byte)(x0 >> 8));

    public static RvicStatus Parameter(byte index) => new(RvicReason.ErrorParameter, index);

    public override string ToString() => Index == 0 ? Reason.ToString() : $"{Reason}@{Index}";
}
