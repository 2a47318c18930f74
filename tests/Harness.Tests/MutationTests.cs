using System.Text;
using static IrqBench.Harness.Tests.Hostile;

namespace IrqBench.Harness.Tests;

/// <summary>
/// Seeded mutations of valid inputs — a profile, a sweep spec, a baseline, a trace — each fed to the command that reads
/// it: whatever the mutation, the answer is a result (exit 0, or 1 for a check that found a move) or bad input (exit
/// 2) with a message naming the file, within the time limit, never an exception or a stack trace; and bad input leaves
/// the results already in the output folder as they were, byte for byte. The seeds are fixed, so every run checks
/// the same mutations; <c>IRQBENCH_PROPERTY_SCALE</c> (tests/Shared/PropertySize.cs) checks more.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class MutationTests : IDisposable
{
    private readonly TempDir tmp = new();

    public void Dispose() => tmp.Dispose();

    private static readonly int Mutations = IrqBench.Tests.PropertySize.Samples(30, opsPerSample: 1);

    /// <summary>Values that break parsers and bounds: extremes, non-numbers, empty, control bytes.</summary>
    private static readonly string[] Hostile =
        ["0", "-1", "1e400", "-1e400", "NaN", "9223372036854775807", "9223372036854775808", "18446744073709551616", "1.5", "\"\"", "null", "[]", "{}",
         "\u0000", "\u001b[2J", "\uFFFF", "1e-400", "true"];

    /// <summary>One to three edits of <paramref name="text"/>: a character replaced (by anything, control characters
    /// included), a range deleted, a line duplicated, deleted or swapped, a number replaced by a hostile value, the
    /// text truncated, a structural character inserted.</summary>
    public static string Mutate(string text, Random rng)
    {
        var s = new StringBuilder(text);
        for (int n = 1 + rng.Next(3); n > 0 && s.Length > 0; n--)
        {
            int at = rng.Next(s.Length);
            switch (rng.Next(8))
            {
                case 0: s[at] = (char)rng.Next(0, 128); break;
                case 1: s.Remove(at, Math.Min(s.Length - at, 1 + rng.Next(20))); break;
                case 2:
                case 3:
                case 6:
                {
                    var lines = s.ToString().Split('\n').ToList();
                    int i = rng.Next(lines.Count), j = rng.Next(lines.Count);
                    if (rng.Next(3) == 0) lines.Insert(i, lines[j]);
                    else if (rng.Next(2) == 0) lines.RemoveAt(i);
                    else (lines[i], lines[j]) = (lines[j], lines[i]);
                    s.Clear().Append(string.Join('\n', lines));
                    break;
                }
                case 4:
                {
                    // The number (or word) around a digit at or after the position.
                    string t = s.ToString();
                    int d = t.IndexOfAny("0123456789".ToCharArray(), at);
                    if (d < 0) break;
                    int end = d;
                    while (end < t.Length && (char.IsAsciiLetterOrDigit(t[end]) || t[end] is '.' or '-' or '+')) end++;
                    s.Remove(d, end - d).Insert(d, Hostile[rng.Next(Hostile.Length)]);
                    break;
                }
                case 5: s.Length = at; break;
                default: s.Insert(at, ",\"{}[]:#\n"[rng.Next(9)]); break;
            }
        }
        return s.ToString();
    }

    private static void AssertAnswered(Result r, string file, params int[] exits)
    {
        Assert.True(exits.Contains(r.Exit), $"exit {r.Exit} for {file}:\n{r.All}");
        NoTrace(r);
    }

    [Fact]
    public void Mutated_profiles_are_run_or_refused_naming_the_file()
    {
        string valid = File.ReadAllText(Path.Combine(ProfileStore.Directory, "altra-vhe.json"));
        string[] run = ["run", "--controller", "ideal", "--workload", "microbench"];
        Assert.Equal(0, Call([.. run, "--out", tmp["out"]]).Exit);
        int refused = 0;
        for (int seed = 1; seed <= Mutations; seed++)
        {
            string name = $"profile-{seed}.json";
            string file = tmp.Write(name, Mutate(valid, new Random(seed)));
            var before = Snapshot(tmp["out"]);
            var r = Call([.. run, "--profile", file, "--out", tmp["out"]]);
            AssertAnswered(r, name, 0, 2);
            if (r.Exit != 2) continue;
            refused++;
            Assert.Contains(name, r.Err);
            Same(before, tmp["out"]);
        }
        Assert.True(refused > Mutations / 2, $"only {refused} of {Mutations} mutations were refused: the mutations are too mild");
    }

    [Fact]
    public void Mutated_sweep_specs_are_refused_naming_the_file_or_leave_the_sweep_as_it_was()
    {
        const string valid = """
            { "controllers": ["ideal", "gicv3"],
              "workloads": [{ "name": "microbench", "params": [{ "test": "hvc" }, { "test": "mmio_read_user" }] },
                            { "name": "hackbench", "params": [{ "groups": 1, "loops": 2 }], "vcpus": [2] }],
              "profiles": ["altra-vhe"],
              "seeds": { "first": 1, "count": 2 } }
            """;
        string spec = tmp.Write("spec.json", valid);
        Assert.Equal(0, Call("sweep", "--spec", spec, "--out", tmp["sweep"]).Exit);
        var before = Snapshot(tmp["sweep"]);
        for (int seed = 1; seed <= Mutations; seed++)
        {
            string name = $"spec-{seed}.json";
            string file = tmp.Write(name, Mutate(valid, new Random(seed)));
            // --max-runs 0: a valid spec of the same grid reassembles the same bytes; any other grid is refused.
            var r = Call("sweep", "--spec", file, "--out", tmp["sweep"], "--max-runs", "0");
            AssertAnswered(r, name, 0, 2);
            if (r.Exit == 2) Assert.True(r.Err.Contains(name) || r.Err.Contains("grid.txt"), r.Err);
            Same(before, tmp["sweep"]);
        }
    }

    [Fact]
    public void Mutated_baselines_are_checked_or_refused_naming_the_file()
    {
        // The rows of one scenario and metric family, so that mutations land on data rather than on rows nobody reads.
        var lines = File.ReadAllLines(Path.Combine(QuickCompare.Folder, "summary.csv"));
        string valid = string.Concat(lines.Where((l, i) => i == 0 || l.StartsWith("rvic,", StringComparison.Ordinal)).Take(120).Select(l => l + "\n"));
        string thresholds = tmp.Write("t.json", """{ "default": { "relative": 0.0001, "absolute": 0.002 } }""");
        var before = Snapshot(QuickCompare.Folder);
        for (int seed = 1; seed <= Mutations; seed++)
        {
            string name = $"baseline-{seed}.csv";
            string file = tmp.Write(name, Mutate(valid, new Random(seed)));
            var r = Call("check", "--baseline", file, "--thresholds", thresholds, "--in", QuickCompare.Folder);
            AssertAnswered(r, name, 0, 1, 2);
            if (r.Exit == 2) Assert.Contains(name, r.Err);
        }
        Same(before, QuickCompare.Folder);
    }

    [Fact]
    public void Mutated_traces_are_replayed_or_refused_naming_file_and_line()
    {
        string valid = File.ReadAllText(Path.Combine(FindRepo(), "src", "Workloads", "Trace", "examples", "example-4vcpu.csv"));
        string[] run = ["run", "--controller", "gicv3", "--workload", "trace", "--vcpus", "4"];
        Assert.Equal(0, Call([.. run, "--out", tmp["out"]]).Exit);
        for (int seed = 1; seed <= Mutations; seed++)
        {
            string name = $"trace-{seed}.csv";
            string file = tmp.Write(name, Mutate(valid, new Random(seed)));
            var before = Snapshot(tmp["out"]);
            var r = Call([.. run, "--set", $"file={file}", "--out", tmp["out"]]);
            AssertAnswered(r, name, 0, 2);
            if (r.Exit != 2) continue;
            Assert.Contains(name, r.Err);
            Same(before, tmp["out"]);
        }
    }

    private static string FindRepo() => Path.GetDirectoryName(ProfileStore.Directory)!;
}
