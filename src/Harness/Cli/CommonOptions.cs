using System.CommandLine;
using System.Globalization;

namespace IrqBench.Harness.Cli;

/// <summary>Options shared by several verbs, and their parsing into checked values.</summary>
internal static class CommonOptions
{
    public static Option<string> Profile() => new("--profile") { Description = "cost profile (a name from profiles/, or a .json path)", DefaultValueFactory = _ => ProfileStore.DefaultProfile };
    public static Option<string> Out(string dflt) => new("--out") { Description = "output folder", DefaultValueFactory = _ => dflt };
    public static Option<string> Seed() => new("--seed") { Description = "run seed (unsigned 64-bit)", DefaultValueFactory = _ => "1" };

    public static ulong ParseSeed(string text) =>
        ulong.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)
            ? s
            : throw new InputException($"--seed {text}: not an unsigned 64-bit integer");

    /// <summary>"key=value" pairs of --set, in the order given.</summary>
    public static IEnumerable<KeyValuePair<string, string>> ParseSets(IEnumerable<string>? sets)
    {
        foreach (var s in sets ?? [])
        {
            int eq = s.IndexOf('=');
            if (eq <= 0) throw new InputException($"--set {s}: expected key=value");
            yield return new(s[..eq].Trim(), s[(eq + 1)..].Trim());
        }
    }
}
