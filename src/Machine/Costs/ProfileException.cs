namespace IrqBench.Machine.Costs;

/// <summary>A profile that cannot be used. The message names the file, the key and the reason.</summary>
public sealed class ProfileException(string message) : Exception(message);
