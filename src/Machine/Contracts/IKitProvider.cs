namespace IrqBench.Machine.Contracts;

/// <summary>
/// How an assembly offers controller designs: a public class with a parameterless constructor implementing this,
/// found by the Harness in its own assemblies and in plugin assemblies — so that a new design is one folder and this
/// one class, not an edit of the harness.
/// </summary>
public interface IKitProvider
{
    IEnumerable<ControllerKit> Kits { get; }
}
