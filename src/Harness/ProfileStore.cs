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
            if (Environment.GetEnvironmentVariable("IRQBENCH_PROFILES") is { Length: > 0 } env)
                return System.IO.Directory.Exists(env) ? env
                    : throw new InputException($"IRQBENCH_PROFILES={env}: {(File.Exists(env) ? "is a file, not a folder" : "no such folder")} (it names the folder of profiles)");
            foreach (var start in new[] { System.IO.Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
                for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                    if (System.IO.Directory.Exists(Path.Combine(d.FullName, "profiles")) && File.Exists(Path.Combine(d.FullName, "IrqBench.sln")))
                        return Path.Combine(d.FullName, "profiles");
            throw new InputException("cannot find the profiles/ folder: run from the repository or set IRQBENCH_PROFILES");
        }
    }

    public static IReadOnlyList<string> Names =>
        System.IO.Directory.GetFiles(Directory, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToArray()!;

    /// <summary>A profile's file as results record it: <c>profiles/NAME.json</c> for one in the profile folder
    /// (whatever the checkout's path), else the path as the user gave it.</summary>
    public static string DisplayPath(string source)
    {
        if (source.Length == 0) return "";
        string full = Path.GetFullPath(source);
        string dir;
        try { dir = Path.GetFullPath(Directory); }
        catch (InputException) { return source; }
        return Path.GetDirectoryName(full) == dir.TrimEnd(Path.DirectorySeparatorChar) ? $"profiles/{Path.GetFileName(full)}" : source;
    }

    public static CostProfile Load(string name)
    {
        // A path to a file also works, so users can try a profile without adding it to the repository.
        string path = name.EndsWith(".json", StringComparison.Ordinal) ? name : Path.Combine(Directory, name + ".json");
        if (!File.Exists(path))
            throw new InputException(Registry.Unknown("profile", name, Names) + " or a path to a .json profile");
        // A FIFO would block the loader's read for ever (a device such as /dev/zero is cut at its size limit).
        Output.InputFile.CheckRegular(path);
        try { return CostOverrides.Current.Apply(ProfileLoader.LoadFile(path, Registry.ProfileSchema, Registry.RequiredSections)); }
        catch (ProfileException e) { throw new InputException(e.Message); }
    }
}
