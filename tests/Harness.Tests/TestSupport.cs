namespace IrqBench.Harness.Tests;

/// <summary>Tests that run the CLI in-process redirect the process-wide stderr, so they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CliCollection
{
    public const string Name = "cli";
}

/// <summary>Runs <c>irqbench</c> in-process and captures what it wrote to stderr (and, with
/// <see cref="RunCapturing"/>, to stdout, Spectre.Console's tables included).</summary>
public static class Cli
{
    public static (int Exit, string Err) Run(params string[] args)
    {
        var err = new StringWriter();
        var old = Console.Error;
        Console.SetError(err);
        try { return (Program.Main(args), err.ToString()); }
        finally { Console.SetError(old); }
    }

    public static (int Exit, string Out, string Err) RunCapturing(params string[] args)
    {
        var output = new StringWriter();
        var (oldOut, oldAnsi) = (Console.Out, Spectre.Console.AnsiConsole.Console);
        Console.SetOut(output);
        Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Out = new Spectre.Console.AnsiConsoleOutput(output), Ansi = Spectre.Console.AnsiSupport.No,
            Interactive = Spectre.Console.InteractionSupport.No,
        });
        try
        {
            var (exit, err) = Run(args);
            return (exit, output.ToString(), err);
        }
        finally
        {
            Console.SetOut(oldOut);
            Spectre.Console.AnsiConsole.Console = oldAnsi;
        }
    }
}

/// <summary>A fresh folder under the temp directory, deleted afterwards.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "irqbench-tests", Guid.NewGuid().ToString("N"));

    public string this[string name] => System.IO.Path.Combine(Path, name);

    public string Write(string name, string text)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(this[name])!);
        File.WriteAllText(this[name], text);
        return this[name];
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

/// <summary>One <c>compare --quick</c> for every test that only reads its output (it takes seconds once every design
/// is registered). Tests that change files copy it first.</summary>
public static class QuickCompare
{
    private static readonly Lazy<string> Dir = new(() =>
    {
        string dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "irqbench-tests", "quick-" + Environment.ProcessId);
        var (exit, err) = Cli.Run("compare", "--quick", "--out", dir);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(dir, recursive: true); } catch (IOException) { } };
        return exit == 0 ? dir : throw new InvalidOperationException($"compare --quick failed ({exit}): {err}");
    });

    public static string Folder => Dir.Value;

    public static void CopyTo(string target) => CopyTree(Folder, target);

    /// <summary>Every file under <paramref name="from"/> copied to the same place under <paramref name="to"/>.</summary>
    public static void CopyTree(string from, string to)
    {
        foreach (var f in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string dest = System.IO.Path.Combine(to, System.IO.Path.GetRelativePath(from, f));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(dest)!);
            File.Copy(f, dest);
        }
    }
}

/// <summary>For check tests: a temp folder holding a copy of the shared quick run's summary.csv as the baseline, and a
/// thresholds file.</summary>
public abstract class CheckFixture : IDisposable
{
    protected readonly TempDir tmp = new();
    protected readonly string baseline, thresholds;

    protected CheckFixture(string thresholdsJson)
    {
        baseline = tmp.Write("baseline.csv", File.ReadAllText(System.IO.Path.Combine(QuickCompare.Folder, "summary.csv")));
        thresholds = tmp.Write("thresholds.json", thresholdsJson);
    }

    public void Dispose() => tmp.Dispose();
}
