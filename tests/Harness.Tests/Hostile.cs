using System.Diagnostics;

namespace IrqBench.Harness.Tests;

/// <summary>What the hostile-input tests assert of every call: it ends within its time, and bad input is exit 2 with a
/// message naming what was wrong, never an exception or a .NET stack trace; and the bytes of a folder before and
/// after.</summary>
public static class Hostile
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public sealed record Result(int Exit, string Out, string Err)
    {
        public string All => Out + Err;
    }

    /// <summary>irqbench in-process, failing the test if it throws or does not return within <paramref name="timeout"/>.</summary>
    public static Result Call(string[] args, TimeSpan? timeout = null)
    {
        var task = Task.Run(() => Cli.RunCapturing(args));
        if (!task.Wait(timeout ?? Timeout)) Assert.Fail($"irqbench {string.Join(' ', args)}: no answer within {(timeout ?? Timeout).TotalSeconds} s (a hang)");
        if (task.Exception is { } e) Assert.Fail($"irqbench {string.Join(' ', args)}: threw {e.InnerException}");
        var (exit, output, err) = task.Result;
        return new Result(exit, output, err);
    }

    public static Result Call(params string[] args) => Call(args, null);

    /// <summary>Exit 2, one plain message on stderr that contains every one of <paramref name="named"/>, no stack trace.</summary>
    public static Result Bad(Result r, params string[] named)
    {
        Assert.True(r.Exit == 2, $"expected exit 2 (bad input), got {r.Exit}:\n{r.All}");
        NoTrace(r);
        foreach (var n in named) Assert.Contains(n, r.Err);
        return r;
    }

    public static Result Bad(string[] args, params string[] named) => Bad(Call(args), named);

    public static void NoTrace(Result r)
    {
        Assert.DoesNotContain("   at ", r.All);
        Assert.DoesNotContain("Unhandled exception", r.All);
        Assert.DoesNotContain("System.", r.Err);
        Assert.True(r.Err.All(c => c is '\n' or '\t' || !char.IsControl(c)), $"control characters on stderr: {r.Err}");
    }

    /// <summary>Every file under <paramref name="dir"/> (relative path → bytes), to compare a folder before and after.</summary>
    public static SortedDictionary<string, byte[]> Snapshot(string dir)
    {
        var d = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        if (!Directory.Exists(dir)) return d;
        foreach (var f in Directory.GetFiles(dir, "*", SearchOption.AllDirectories))
            d[Path.GetRelativePath(dir, f)] = File.ReadAllBytes(f);
        return d;
    }

    public static void Same(SortedDictionary<string, byte[]> before, string dir)
    {
        var after = Snapshot(dir);
        Assert.Equal(before.Keys, after.Keys);
        foreach (var (k, v) in before) Assert.True(v.AsSpan().SequenceEqual(after[k]), $"{dir}/{k} changed");
    }

    /// <summary>The built irqbench.dll in a child process (for what an in-process call cannot do: its own environment,
    /// being killed), killed if it has not finished within <paramref name="timeout"/>.</summary>
    public static Result Child(IEnumerable<string> args, IDictionary<string, string>? env = null, TimeSpan? timeout = null, string? cwd = null)
    {
        using var p = Process.Start(ChildInfo(args, env, cwd))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? Timeout))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"irqbench {string.Join(' ', args)}: no answer within {(timeout ?? Timeout).TotalSeconds} s (a hang)");
        }
        p.WaitForExit();
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    public static ProcessStartInfo ChildInfo(IEnumerable<string> args, IDictionary<string, string>? env = null, string? cwd = null)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (cwd is not null) psi.WorkingDirectory = cwd;
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "irqbench.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["IRQBENCH_PROFILES"] = ProfileStore.Directory;
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        return psi;
    }
}
