namespace IrqBench.Machine.Traps;

/// <summary>A system-register encoding (op0, op1, CRn, CRm, op2), as MRS/MSR and the ESR_EL2 ISS name it.</summary>
public readonly record struct SysReg(byte Op0, byte Op1, byte CRn, byte CRm, byte Op2)
{
    public override string ToString() => $"S{Op0}_{Op1}_C{CRn}_C{CRm}_{Op2}";
}
