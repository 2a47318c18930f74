namespace IrqBench.Harness;

/// <summary>Bad input from the user (an option, a file, a value): reported on stderr with exit code 2.</summary>
public sealed class InputException(string message) : Exception(message);
