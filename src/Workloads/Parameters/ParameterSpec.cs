using System.Globalization;

namespace IrqBench.Workloads.Parameters;

/// <summary>One workload parameter: its name, allowed values and default, and what it means.</summary>
public sealed record ParameterSpec(string Name, string Description, string Default, double Min = double.NaN, double Max = double.NaN,
    IReadOnlyList<string>? Choices = null, bool IsInteger = true, bool IsText = false)
{
    /// <summary>A free-form word (a test name checked by the workload itself).</summary>
    public static ParameterSpec Text(string name, string dflt, string description) =>
        new(name, description, dflt, IsInteger: false, IsText: true);

    public static ParameterSpec Int(string name, long dflt, long min, long max, string description) =>
        new(name, description, dflt.ToString(CultureInfo.InvariantCulture), min, max);

    public static ParameterSpec Real(string name, double dflt, double min, double max, string description) =>
        new(name, description, dflt.ToString("R", CultureInfo.InvariantCulture), min, max, IsInteger: false);

    public static ParameterSpec Choice(string name, string dflt, IReadOnlyList<string> choices, string description) =>
        new(name, description, dflt, Choices: choices);

    public string AllowedText => IsText ? "a non-empty word" : Choices is not null
        ? $"one of {string.Join(", ", Choices)}"
        : IsInteger ? $"an integer in [{Min.ToString(CultureInfo.InvariantCulture)}, {Max.ToString(CultureInfo.InvariantCulture)}]"
                    : $"a number in [{Min.ToString(CultureInfo.InvariantCulture)}, {Max.ToString(CultureInfo.InvariantCulture)}]";

    /// <summary>Null when <paramref name="value"/> is allowed; otherwise the reason.</summary>
    public string? Validate(string value)
    {
        if (IsText) return string.IsNullOrWhiteSpace(value) ? $"{Name}= is empty: expected {AllowedText}" : null;
        if (Choices is not null)
            return Choices.Contains(value, StringComparer.Ordinal) ? null : $"{Name}={value} is not allowed: expected {AllowedText}";
        if (IsInteger)
        {
            if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l))
                return $"{Name}={value} is not an integer: expected {AllowedText}";
            return l < Min || l > Max ? $"{Name}={value} is out of range: expected {AllowedText}" : null;
        }
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || double.IsNaN(d))
            return $"{Name}={value} is not a number: expected {AllowedText}";
        return d < Min || d > Max ? $"{Name}={value} is out of range: expected {AllowedText}" : null;
    }
}

/// <summary>A parameter value that is unknown or out of range. The message names the key, the value and what is
/// allowed.</summary>
public sealed class ParameterException(string message) : Exception(message);
