namespace IrqBench.Harness.Validation;

/// <summary>Whether a published figure was used to fit a primitive (the model's figure then checks the fit) or not
/// (the model's figure is a prediction).</summary>
public enum FigureRole { Calibrated, Predicted }

/// <summary>One published figure beside the model's: what, where it was measured, the two values, their ratio.</summary>
public sealed record ValidationRow(
    string Profile, string Machine, string Figure, string Unit, double Model, double Published, FigureRole Role, string Source)
{
    public double Ratio => Published != 0 ? Model / Published : double.NaN;
}
