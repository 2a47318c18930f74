using System.Diagnostics;
using System.Runtime.InteropServices;

namespace IrqBench.Harness.Output;

/// <summary>
/// What a command's results are in a folder, by path relative to it ('/'-separated): the entries it writes or makes
/// stale (<see cref="Replaces"/>: not carried over), the entries of other results it must not be mixed with
/// (<see cref="Conflicts"/>: the folder is refused, or with --force replaced too), and the entries it writes whose
/// type must match (a folder named summary.csv, a file named plots). Everything else in the folder — a README, a
/// hostbench/ folder, other commands' independent results — is carried over untouched.
/// </summary>
public sealed record ResultKind(string What, Func<string, bool> Replaces, Func<string, bool> Conflicts,
    IReadOnlyList<string> Files, IReadOnlyList<string> Folders)
{
    private static bool Plot(string rel) =>
        rel.StartsWith("plots/", StringComparison.Ordinal) && rel.IndexOf('/', 6) < 0
        && (rel.EndsWith(".png", StringComparison.Ordinal) || rel.EndsWith(".svg", StringComparison.Ordinal));

    /// <summary>A temporary file AtomicFile left behind when a process was killed: never a result.</summary>
    private static bool Stray(string rel) => Path.GetFileName(rel) is var n && n.StartsWith('.') && n.EndsWith(".tmp", StringComparison.Ordinal);

    public static readonly IReadOnlyList<string> RunData = ["runs.csv", "counters.csv", "exits.csv", "latency.csv", "latency_stages.csv"];
    public static readonly IReadOnlyList<string> Derived = ["summary.csv", "summary.json", "report.md"];
    public static readonly IReadOnlyList<string> ComparisonOnly = ["microbench.csv", "notes.txt", "comparison.json", "trust.csv", "trust_surface.csv"];

    /// <summary>What only <c>run</c> writes beside the run data: the exit report and the HdrHistogram files.</summary>
    public static readonly IReadOnlyList<string> RunOnly = ["exit_report.txt"];

    private static bool Hgrm(string rel) => rel.StartsWith("hgrm/", StringComparison.Ordinal) && rel.IndexOf('/', 5) < 0 && rel.EndsWith(".hgrm", StringComparison.Ordinal);
    public static readonly IReadOnlyList<string> SweepJournal = ["grid.txt", "parts"];

    private static bool In(IReadOnlyList<string> names, string rel) => names.Contains(rel, StringComparer.Ordinal);
    private static bool Journal(string rel) => rel == "grid.txt" || rel == "parts" || rel.StartsWith("parts/", StringComparison.Ordinal);
    private static bool ComparisonFile(string rel) => In(RunData, rel) || In(Derived, rel) || In(ComparisonOnly, rel) || Plot(rel);

    /// <summary><c>compare</c>: every file of a comparison; a sweep's journal is not mixed with it.</summary>
    public static ResultKind Comparison { get; } = new("a comparison", r => ComparisonFile(r) || Stray(r), Journal,
        [.. RunData, .. ComparisonOnly, .. Derived], ["plots"]);

    /// <summary><c>report --in</c>: summary.csv, summary.json, report.md and the plots, from the primary files it keeps.</summary>
    public static ResultKind Report { get; } = new("a report", r => In(Derived, r) || Plot(r) || Stray(r), _ => false, Derived, ["plots"]);

    /// <summary><c>run</c>: one run's files, its exit report and its histograms; a comparison's other files or a sweep's
    /// journal beside them would describe other runs.</summary>
    public static ResultKind Run { get; } = new("a run", r => In(RunData, r) || In(RunOnly, r) || Hgrm(r) || Stray(r),
        r => ComparisonFile(r) && !In(RunData, r) || Journal(r), [.. RunData, .. RunOnly], ["hgrm"]);

    /// <summary><c>sweep</c> and <c>merge</c> into a folder of this grid (or a new one): the assembled files and what
    /// <c>report</c> drew from earlier ones; the journal is kept.</summary>
    public static ResultKind SweepOwn { get; } = new("a sweep", r => In(RunData, r) || In(Derived, r) || Plot(r) || Stray(r), r => In(ComparisonOnly, r),
        [.. RunData, "summary.csv", "grid.txt"], ["parts"]);

    /// <summary><c>sweep</c> into a folder without grid.txt: any run data there is another command's.</summary>
    public static ResultKind SweepNew { get; } = SweepOwn with { Replaces = Stray, Conflicts = ComparisonFile };

    /// <summary><c>microbench --out</c>: microbench.csv alone; beside runs or a report it would mix two results.</summary>
    public static ResultKind Microbench { get; } = new("micro-benchmarks", r => r == "microbench.csv" || Stray(r),
        r => ComparisonFile(r) && r != "microbench.csv" || Journal(r), ["microbench.csv"], []);

    public static ResultKind Validate { get; } = new("a validation", r => r is "validate.md" or "validate.csv" || Stray(r), _ => false,
        ["validate.md", "validate.csv"], []);

    /// <summary><c>trust --out</c>: its three files; a comparison's trust.csv belongs to that comparison's report.</summary>
    public static ResultKind Trust { get; } = new("a trust comparison", r => r is "trust.md" or "trust.csv" or "trust_surface.csv" || Stray(r),
        r => ComparisonFile(r) && r is not ("trust.csv" or "trust_surface.csv") || Journal(r), ["trust.md", "trust.csv", "trust_surface.csv"], []);

    public static ResultKind Sensitivity { get; } = new("a sensitivity analysis",
        r => r is "sensitivity.md" or "sensitivity.csv" or "plots/sensitivity-tornado.png" or "plots/sensitivity-tornado.svg" || Stray(r), _ => false,
        ["sensitivity.md", "sensitivity.csv"], ["plots"]);
}

/// <summary>
/// A results folder written all or nothing. <see cref="Begin"/> checks, before any work, that the folder can be
/// written (not empty, not a file, not the working directory, its parent writable), that it holds no results this
/// command must not be mixed with, and creates a staging folder beside it (<c>.NAME.irqbench-PID.new</c>). The
/// command writes its files into <see cref="Stage"/>; <see cref="Commit"/> carries over every entry of the old
/// folder the command does not replace (hard links, so nothing is copied), then swaps the staging folder in with one
/// atomic exchange (renameat2 RENAME_EXCHANGE on Linux). Killed at any point, the folder holds the old results or
/// the new ones, never a mix; a staging folder left by a killed process is removed by the next write.
/// </summary>
public sealed class OutputFolder : IDisposable
{
    private const string Marker = ".irqbench-";
    private readonly ResultKind kind;
    private readonly bool force;
    private bool done;

    private OutputFolder(string given, string target, string stage, ResultKind kind, bool force)
    {
        Given = given;
        Target = target;
        Stage = stage;
        this.kind = kind;
        this.force = force;
    }

    /// <summary>The folder as the user named it (for messages).</summary>
    public string Given { get; }

    /// <summary>The folder's full path, symbolic links resolved.</summary>
    public string Target { get; }

    /// <summary>Where the command writes its files until <see cref="Commit"/>.</summary>
    public string Stage { get; }

    public string this[string name] => Path.Combine(Stage, name);

    /// <summary>Checks <paramref name="dir"/> as an output folder of <paramref name="kind"/> and opens its staging
    /// folder. Every problem is an <see cref="InputException"/> naming <paramref name="option"/> and the folder; nothing
    /// in the folder is changed.</summary>
    /// <param name="force">replace the results <paramref name="kind"/> conflicts with instead of refusing</param>
    /// <param name="forceHint">how the refusal says to override it (null: it cannot be)</param>
    public static OutputFolder Begin(string dir, ResultKind kind, string option = "--out", bool force = false, string? forceHint = null)
    {
        string target = Resolve(dir, option);
        if (Directory.Exists(target))
        {
            foreach (var f in kind.Files)
                if (Directory.Exists(Path.Combine(target, f)))
                    throw new InputException($"{option} {dir}: {f} there is a folder, where the file {f} goes: move it away first");
            foreach (var f in kind.Folders)
                if (File.Exists(Path.Combine(target, f)))
                    throw new InputException($"{option} {dir}: {f} there is a file, where the folder {f}/ goes: move it away first");
            if (!force)
            {
                // The files that tell what the folder holds first: a sweep's grid, a comparison's report.
                var clash = Entries(target).Where(kind.Conflicts)
                    .OrderBy(c => ResultKind.SweepJournal.Contains(c) ? 0 : ResultKind.Derived.Contains(c) ? 1 : 2).ThenBy(c => c, StringComparer.Ordinal).ToList();
                if (clash.Count > 0)
                    throw new InputException($"{option} {dir}: holds {Describe(clash)} ({string.Join(", ", clash.Take(4))}{(clash.Count > 4 ? ", …" : "")}), " +
                                             $"which {kind.What} written there would be mixed with; give another {option}" + (forceHint is null ? "" : $", or {forceHint}"));
            }
        }
        string parent = Path.GetDirectoryName(target)!;
        string stage = Path.Combine(parent, $".{Path.GetFileName(target)}{Marker}{Environment.ProcessId}.new");
        try
        {
            Directory.CreateDirectory(parent);
            RemoveStale(parent, Path.GetFileName(target));
            if (Directory.Exists(stage)) Directory.Delete(stage, recursive: true);
            Directory.CreateDirectory(stage);
        }
        catch (Exception e) when (IsIo(e))
        {
            throw new InputException($"{option} {dir}: cannot write there: {e.Message}");
        }
        return new OutputFolder(dir, target, stage, kind, force);
    }

    /// <summary>The old folder's entries that are not replaced are carried into the staging folder, which then takes
    /// the folder's place in one step; the old folder is removed.</summary>
    public void Commit()
    {
        if (done) throw new InvalidOperationException("committed twice");
        try
        {
            bool existed = Directory.Exists(Target);
            if (existed)
            {
                Carry(Target, Stage, "");
                TryCopyMode(Target, Stage);
                string old = Stage[..^".new".Length] + ".old";
                if (Exchange(Stage, Target))
                {
                    Directory.Move(Stage, old);
                    Directory.Delete(old, recursive: true);
                }
                else
                {
                    // No atomic exchange here: two renames; a process killed between them leaves NAME missing and
                    // .NAME.irqbench-PID.old, which the next write (RemoveStale) moves back.
                    Directory.Move(Target, old);
                    Directory.Move(Stage, Target);
                    Directory.Delete(old, recursive: true);
                }
            }
            else Directory.Move(Stage, Target);
            done = true;
        }
        catch (Exception e) when (IsIo(e))
        {
            throw new InputException($"{Given}: cannot write the results there: {e.Message} (the folder holds what it held before)");
        }
    }

    /// <summary>Without <see cref="Commit"/> (bad input found late, a failure), the staging folder is removed and the
    /// folder is as it was.</summary>
    public void Dispose()
    {
        if (done) return;
        done = true;
        try { if (Directory.Exists(Stage)) Directory.Delete(Stage, recursive: true); }
        catch (Exception e) when (IsIo(e)) { }
    }

    private static string Resolve(string dir, string option)
    {
        if (string.IsNullOrWhiteSpace(dir)) throw new InputException($"{option}: the folder name is empty");
        string full;
        try
        {
            full = Path.GetFullPath(dir);
            // A symbolic link to a folder: the results go where it points.
            if (new DirectoryInfo(full).LinkTarget is not null && new DirectoryInfo(full).ResolveLinkTarget(returnFinalTarget: true) is { } t) full = t.FullName;
        }
        catch (Exception e) when (IsIo(e)) { throw new InputException($"{option} {dir}: not a usable folder name: {e.Message}"); }
        full = Path.TrimEndingDirectorySeparator(full);
        if (File.Exists(full)) throw new InputException($"{option} {dir}: is a file, not a folder");
        if (Path.GetDirectoryName(full) is null) throw new InputException($"{option} {dir}: is the file system's root");
        string cwd = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Directory.GetCurrentDirectory()));
        if (cwd == full || cwd.StartsWith(full + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InputException($"{option} {dir}: is the working directory (or holds it): results go into a folder of their own");
        for (var p = Path.GetDirectoryName(full); p is not null; p = Path.GetDirectoryName(p))
            if (File.Exists(p)) throw new InputException($"{option} {dir}: {p} is a file, not a folder");
        return full;
    }

    /// <summary>Relative paths of the entries that decide conflicts: the top level and plots/.</summary>
    private static IEnumerable<string> Entries(string dir)
    {
        foreach (var e in Directory.EnumerateFileSystemEntries(dir).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(e);
            yield return name;
            if (name == "plots" && Directory.Exists(e))
                foreach (var p in Directory.EnumerateFiles(e).Order(StringComparer.Ordinal)) yield return "plots/" + Path.GetFileName(p);
        }
    }

    private static string Describe(IReadOnlyList<string> clash) =>
        clash.Any(c => ResultKind.SweepJournal.Contains(c)) ? "a sweep's runs"
        : clash.Any(c => ResultKind.Derived.Contains(c)) ? "a comparison's results"
        : clash.Any(c => ResultKind.RunData.Contains(c)) ? "runs of another command"
        : "other results";

    private void Carry(string from, string to, string rel)
    {
        foreach (var e in Directory.EnumerateFileSystemEntries(from))
        {
            string name = Path.GetFileName(e), r = rel.Length == 0 ? name : $"{rel}/{name}";
            string dest = Path.Combine(to, name);
            if (kind.Replaces(r) || (force && kind.Conflicts(r))) continue;
            var info = new FileInfo(e);
            if (info.LinkTarget is { } link)
            {
                if (!Path.Exists(dest) && new FileInfo(dest).LinkTarget is null) File.CreateSymbolicLink(dest, link);
            }
            else if (Directory.Exists(e))
            {
                bool had = Directory.Exists(dest);
                Directory.CreateDirectory(dest);
                Carry(e, dest, r);
                // A folder whose every file was replaced (plots/ of a comparison replaced by a run) goes with them.
                if (!had && !Directory.EnumerateFileSystemEntries(dest).Any() && Directory.EnumerateFileSystemEntries(e).Any()) Directory.Delete(dest);
            }
            else if (!File.Exists(dest)) Link(e, dest);
        }
    }

    private static void TryCopyMode(string from, string to)
    {
        if (OperatingSystem.IsWindows()) return;
        try { File.SetUnixFileMode(to, File.GetUnixFileMode(from)); }
        catch (Exception e) when (IsIo(e)) { }
    }

    /// <summary>Removes what a killed process left beside the folder: staging folders (".new") and old folders
    /// (".old"), the latter moved back first if the folder itself is missing.</summary>
    private static void RemoveStale(string parent, string name)
    {
        string prefix = $".{name}{Marker}";
        foreach (var d in Directory.EnumerateDirectories(parent, prefix + "*"))
        {
            string tail = Path.GetFileName(d)[prefix.Length..];
            int dot = tail.IndexOf('.');
            if (dot <= 0 || !int.TryParse(tail[..dot], out int pid) || (pid != Environment.ProcessId && Alive(pid))) continue;
            string target = Path.Combine(parent, name);
            if (tail.EndsWith(".old", StringComparison.Ordinal) && !Directory.Exists(target)) Directory.Move(d, target);
            else Directory.Delete(d, recursive: true);
        }
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    private static bool IsIo(Exception e) => e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException;

    private const int AtFdCwd = -100;
    private const uint RenameExchange = 2;

    [DllImport("libc", SetLastError = true, EntryPoint = "renameat2")]
    private static extern int RenameAt2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);

    [DllImport("libc", SetLastError = true, EntryPoint = "link")]
    private static extern int HardLink(string oldPath, string newPath);

    /// <summary>Swaps two folders atomically where the system can; false where it cannot (then nothing changed).</summary>
    private static bool Exchange(string a, string b)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            if (RenameAt2(AtFdCwd, a, AtFdCwd, b, RenameExchange) == 0) return true;
            int errno = Marshal.GetLastPInvokeError();
            if (errno is 22 or 38 or 95) return false; // EINVAL, ENOSYS, EOPNOTSUPP: this file system cannot
            throw new IOException($"cannot swap {a} into {b} (errno {errno})");
        }
        catch (EntryPointNotFoundException) { return false; }
        catch (DllNotFoundException) { return false; }
    }

    /// <summary>A hard link where the system has them; a copy otherwise.</summary>
    private static void Link(string from, string to)
    {
        if (!OperatingSystem.IsWindows())
        {
            try
            {
                if (HardLink(from, to) == 0) return;
            }
            catch (EntryPointNotFoundException) { }
            catch (DllNotFoundException) { }
        }
        File.Copy(from, to);
    }
}
