namespace IrqBench.Rvic.Rvid;

/// <summary>
/// The rVID of the rvic-level variant (rvic.md §13): besides each input's route it keeps each input's line level, as
/// the untrusted side last set it. An input is level-triggered when its source drives its line (the host's
/// SET_INPUT_LEVEL call) rather than sending edges; RVID_RESAMPLE reads the line back.
/// </summary>
public sealed class LevelRvidTable(int nrTrusted, int nrTotal) : RvidTable(nrTrusted, nrTotal)
{
    private readonly bool[] line = new bool[nrTotal - nrTrusted];

    /// <summary>The input's line as last set; false for an input out of range.</summary>
    public bool LineHigh(ulong input) => IsValidInput(input) && line[input];

    /// <summary>Records the input's line; false (nothing recorded) for an input out of range.</summary>
    public bool SetLine(ulong input, bool high)
    {
        if (!IsValidInput(input)) return false;
        line[input] = high;
        return true;
    }
}
