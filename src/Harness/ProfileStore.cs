using IrqBench.Machine.Costs;

namespace IrqBench.Harness;

/// <summary>Finds <c>profiles/</c> (the IRQBENCH_PROFILES variable, else the nearest ancestor of the working directory
/// or of the program that has one) and loads profiles by name against the registry's schema.</summary>
public static class ProfileStore
{
    public const string DefaultProfile = "altra-vhe";

    public static string Directory
    {
        get
        {
            if (Environment.GetEnvironmentVariable("IRQBENCH_PROFILES") is { Length: > 0 } env) return env;
            foreach (var start in new[] { System.IO.Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
                for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                    if (System.IO.Directory.Exists(Path.Combine(d.FullName, "profiles")) && File.Exists(Path.Combine(d.FullName, "IrqBench.sln")))
                        return Path.Combine(d.FullName, "profiles");
            throw new InputException("cannot find the profiles/ folder: run from the repository or set IRQBENCH_PROFILES");
        }
    }

    public static IReadOnlyList<string> Names =>
        System.IO.Directory.GetFiles(Directory, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToArray()!;

    public static CostProfile Load(string name)
    {
        // A path to a file also works, so users can try a profile without adding it to the repository.
        string path = name.EndsWith(".json", StringComparison.Ordinal) ? name : Path.Combine(Directory, name + ".json");
        if (!File.Exists(path))
            throw new InputException($"unknown profile '{name}' (available: {string.Join(", ", Names)})");
        try { return ProfileLoader.LoadFile(path, Registry.ProfileSchema); }
        catch (ProfileException e) { throw new InputException(e.Message); }
    }
}
