using System.Globalization;
using System.Text.Json.Nodes;
using static IrqBench.Harness.Tests.Hostile;

namespace IrqBench.Harness.Tests;

/// <summary>
/// Issue 15, one test per defect the hostile-input review found: every bad input is exit 2 with a message naming the
/// file, key or line and the reason — never a stack trace, never a hang — and results already written are left as
/// they were, byte for byte. <see cref="MutationTests"/> sweeps seeded mutations of valid files.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class HostileInputTests : IDisposable
{
    private readonly TempDir tmp = new();

    public void Dispose() => tmp.Dispose();

    private static readonly string[] RunArgs = ["run", "--controller", "ideal", "--workload", "microbench"];
    private static readonly string[] TinyCompare =
        ["compare", "--quick", "--profile", "altra-vhe", "--workload", "kbuild", "--controller", "gicv3", "--vcpus", "4", "--seeds", "1"];

    private const string Spec = """
        { "controllers": ["ideal"],
          "workloads": [{ "name": "microbench", "params": [{ "test": "hvc" }] }],
          "seeds": [1, 2] }
        """;

    private string Profile(Action<JsonNode> edit)
    {
        var p = JsonNode.Parse(File.ReadAllText(Path.Combine(ProfileStore.Directory, "altra-vhe.json")))!;
        edit(p);
        return tmp.Write($"edited-{Guid.NewGuid():N}/altra-vhe.json", p.ToJsonString());
    }

    /// <summary>A results folder of a finished run, and its bytes.</summary>
    private (string Dir, SortedDictionary<string, byte[]> Bytes) ExistingRun(string name = "existing")
    {
        Assert.Equal(0, Call([.. RunArgs, "--out", tmp[name]]).Exit);
        return (tmp[name], Snapshot(tmp[name]));
    }

    // ---- Output and atomicity ----

    public static TheoryData<string, string> VerbsAndOuts()
    {
        var d = new TheoryData<string, string>();
        foreach (var verb in new[] { "run", "microbench", "compare", "sweep", "merge", "validate", "sensitivity" })
            foreach (var target in new[] { "file", "/proc/irqbench-x", "file/below", "" })
                d.Add(verb, target);
        return d;
    }

    [Theory, MemberData(nameof(VerbsAndOuts))]
    public void An_out_that_cannot_be_created_is_exit_2_before_any_work(string verb, string target)
    {
        string file = tmp.Write("file", "not a folder\n");
        string outDir = target switch { "file" => file, "file/below" => Path.Combine(file, "below"), _ => target };
        string spec = tmp.Write("spec.json", Spec);
        if (verb == "merge") Assert.Equal(0, Call("sweep", "--spec", spec, "--out", tmp["shard"]).Exit);
        string[] args = verb switch
        {
            "run" => [.. RunArgs],
            "microbench" => ["microbench", "--controller", "ideal"],
            "compare" => [.. TinyCompare],
            "sweep" => ["sweep", "--spec", spec],
            "merge" => ["merge", tmp["shard"]],
            "validate" => ["validate", "--no-hackbench", "--profile", "altra-vhe"],
            _ => ["sensitivity", "--workload", "microbench", "--vcpus", "2", "--set", "test=hvc", "--seeds", "1"],
        };
        var r = Bad(Call([.. args, "--out", outDir]), "--out");
        Assert.Equal("", r.Out); // nothing ran: no progress, no table
        Assert.Equal("not a folder\n", File.ReadAllText(file));
        Assert.Empty(Directory.GetFileSystemEntries(tmp.Path, ".*irqbench-*"));
    }

    [Fact]
    public void Run_leaves_the_folder_as_it_was_when_counters_csv_cannot_be_written()
    {
        var (dir, _) = ExistingRun();
        File.Delete(Path.Combine(dir, "counters.csv"));
        Directory.CreateDirectory(Path.Combine(dir, "counters.csv"));
        var before = Snapshot(dir);
        Bad([.. RunArgs, "--seed", "7", "--out", dir], "counters.csv", "folder");
        Same(before, dir);
        Assert.True(Directory.Exists(Path.Combine(dir, "counters.csv")));
    }

    [Fact]
    public void A_run_or_a_sweep_into_a_comparison_folder_is_refused_and_a_forced_run_replaces_it_whole()
    {
        QuickCompare.CopyTo(tmp["compared"]);
        tmp.Write("compared/README.md", "mine\n");
        string dir = tmp["compared"];
        var before = Snapshot(dir);
        Bad([.. RunArgs, "--out", dir], "holds a comparison's results", "--force");
        Same(before, dir);
        Bad(["sweep", "--spec", tmp.Write("spec.json", Spec), "--out", dir], "holds a comparison's results");
        Same(before, dir);
        Bad(["microbench", "--controller", "ideal", "--out", dir], "holds a comparison's results");
        Same(before, dir);

        Assert.Equal(0, Call([.. RunArgs, "--out", dir, "--force"]).Exit);
        // The run's files and the user's own file; nothing of the comparison left beside them.
        Assert.Equal(["README.md", "counters.csv", "exit_report.txt", "exits.csv", "latency.csv", "latency_stages.csv", "runs.csv"],
            Snapshot(dir).Keys.Where(k => !k.StartsWith("hgrm/", StringComparison.Ordinal)));
        Assert.Equal("mine\n", File.ReadAllText(Path.Combine(dir, "README.md")));
    }

    [Fact]
    public void A_sweep_folder_is_not_overwritten_by_a_run_or_a_comparison()
    {
        string spec = tmp.Write("spec.json", Spec);
        Assert.Equal(0, Call("sweep", "--spec", spec, "--out", tmp["swept"]).Exit);
        var before = Snapshot(tmp["swept"]);
        Bad([.. RunArgs, "--out", tmp["swept"]], "a sweep's runs", "grid.txt");
        Bad([.. TinyCompare, "--out", tmp["swept"]], "a sweep's runs");
        Same(before, tmp["swept"]);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("compare")]
    [InlineData("sweep")]
    [InlineData("microbench")]
    public void An_empty_out_is_refused_not_the_working_directory(string verb)
    {
        string[] args = verb switch
        {
            "run" => [.. RunArgs],
            "compare" => [.. TinyCompare],
            "sweep" => ["sweep", "--spec", tmp.Write("spec.json", Spec)],
            _ => ["microbench", "--controller", "ideal"],
        };
        var cwd = Directory.GetFileSystemEntries(Directory.GetCurrentDirectory()).Order().ToList();
        Bad(Call([.. args, "--out", ""]), "--out", "empty");
        Bad(Call([.. args, "--out", "."]), "--out .", "working directory");
        Assert.Equal(cwd, Directory.GetFileSystemEntries(Directory.GetCurrentDirectory()).Order().ToList());
    }

    /// <summary>kill -9 of a compare at seeded random points: the folder holds the old comparison or the new one,
    /// byte for byte, and never a temporary file; the next write removes what the killed process left beside it.</summary>
    [Fact]
    public void A_compare_killed_at_random_points_leaves_the_old_result_or_the_new_one()
    {
        string[] oldCmd = [.. TinyCompare, "-j", "1"];
        string[] newCmd = ["compare", "--quick", "--profile", "altra-vhe", "--workload", "hackbench", "--controller", "gicv3", "--controller", "ideal",
            "--vcpus", "4", "--seeds", "6", "-j", "1"];
        Assert.Equal(0, Call([.. oldCmd, "--out", tmp["old"]]).Exit);
        tmp.Write("old/README.md", "carried\n");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(0, Child([.. newCmd, "--out", tmp["new"]]).Exit);
        double full = clock.Elapsed.TotalMilliseconds;
        tmp.Write("new/README.md", "carried\n");
        var oldBytes = Snapshot(tmp["old"]);
        var newBytes = Snapshot(tmp["new"]);
        Assert.NotEqual(oldBytes.Keys, newBytes.Keys);

        string d = tmp["target"];
        var rng = new Random(15);
        int sawOld = 0, sawNew = 0;
        for (int k = 0; k < 8; k++)
        {
            if (Directory.Exists(d)) Directory.Delete(d, recursive: true);
            QuickCompare.CopyTree(tmp["old"], d);
            using (var p = System.Diagnostics.Process.Start(ChildInfo([.. newCmd, "--out", d]))!)
            {
                p.StandardOutput.ReadToEndAsync();
                p.StandardError.ReadToEndAsync();
                // Spread over the process's life, denser near its end, where the files are written.
                double at = full * (k < 4 ? 0.3 + 0.7 * rng.NextDouble() : 0.85 + 0.2 * rng.NextDouble());
                if (!p.WaitForExit(TimeSpan.FromMilliseconds(at))) p.Kill(entireProcessTree: true);
                p.WaitForExit();
            }
            var now = Snapshot(d);
            bool isOld = now.Keys.SequenceEqual(oldBytes.Keys) && now.All(kv => kv.Value.AsSpan().SequenceEqual(oldBytes[kv.Key]));
            bool isNew = now.Keys.SequenceEqual(newBytes.Keys) && now.All(kv => kv.Value.AsSpan().SequenceEqual(newBytes[kv.Key]));
            Assert.True(isOld || isNew, $"kill {k}: a mix: {string.Join(", ", now.Keys)}");
            if (isOld) sawOld++;
            else sawNew++;
        }
        Assert.Equal(0, Child([.. newCmd, "--out", d]).Exit);
        Assert.Empty(Directory.GetFileSystemEntries(tmp.Path, ".target.irqbench-*"));
        Same(newBytes, d);
        Assert.Equal(8, sawOld + sawNew);
    }

    // ---- Profiles ----

    [Theory]
    [InlineData("duplicate key", "primitives.machine.kick_ipi", "twice")]
    [InlineData("frequency", "frequency_hz", "10,000,000")]
    [InlineData("cost", "kick_ipi", "100,000,000,000")]
    public void A_profile_the_loader_refuses_is_exit_2_through_the_cli(string defect, string key, string reason)
    {
        string file = defect switch
        {
            "duplicate key" => tmp.Write("dup/altra-vhe.json", File.ReadAllText(Path.Combine(ProfileStore.Directory, "altra-vhe.json"))
                .Replace("\"kick_ipi\":", "\"kick_ipi\": { \"cycles\": 1, \"source\": \"assumption: twice\" }, \"kick_ipi\":")),
            "frequency" => Profile(p => p["frequency_hz"] = 20_000_000_000),
            _ => Profile(p => p["primitives"]!["machine"]!["kick_ipi"]!["cycles"] = 100_000_000_001),
        };
        var (dir, before) = ExistingRun();
        Bad([.. RunArgs, "--profile", file, "--out", dir], "altra-vhe.json", key, reason);
        Bad([.. TinyCompare, "--profile", file, "--out", tmp["c"]], "altra-vhe.json", key);
        Same(before, dir);
        Assert.False(Directory.Exists(tmp["c"]));
    }

    [Fact]
    public void A_profile_that_is_dev_zero_or_a_fifo_is_exit_2_not_out_of_memory_or_a_hang()
    {
        string link = tmp["zero.json"];
        File.CreateSymbolicLink(link, "/dev/zero");
        var (dir, before) = ExistingRun();
        Bad([.. RunArgs, "--profile", link, "--out", dir], "zero.json", "not a regular file");
        // A FIFO would block a reader for ever: refused the same way, as profile, trace or baseline.
        string fifo = tmp["fifo.json"];
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo)!) Assert.True(mkfifo.WaitForExit(10_000) && mkfifo.ExitCode == 0);
        Bad(Call([.. RunArgs, "--profile", fifo, "--out", dir], TimeSpan.FromSeconds(30)), "fifo.json", "not a regular file");
        string t = tmp.Write("t.json", """{ "default": { "relative": 0.1 } }""");
        Bad(Call(["check", "--baseline", fifo, "--thresholds", t, "--in", dir], TimeSpan.FromSeconds(30)), "fifo.json", "not a regular file");
        Same(before, dir);
    }

    [Fact]
    public void IRQBENCH_PROFILES_naming_a_missing_folder_is_exit_2_naming_it()
    {
        var env = new Dictionary<string, string> { ["IRQBENCH_PROFILES"] = tmp["no-such-folder"] };
        foreach (var args in new[] { RunArgs.Append("--out").Append(tmp["r"]).ToArray(), ["profiles"], ["compare", "--list"] })
            Bad(Child(args, env), "IRQBENCH_PROFILES", "no-such-folder", "no such folder");
        Assert.False(Directory.Exists(tmp["r"]));
    }

    [Fact]
    public void Check_tells_an_edited_copy_of_altra_vhe_from_the_reference()
    {
        string copy = Profile(p => p["primitives"]!["machine"]!["kick_ipi"]!["cycles"] = 900);
        Assert.Equal(0, Call(["compare", "--quick", "--profile", copy, "--workload", "kbuild", "--controller", "gicv3", "--vcpus", "4", "--seeds", "1", "--out", tmp["edited"]]).Exit);
        string baseline = tmp.Write("baseline.csv", string.Concat(File.ReadAllLines(Path.Combine(QuickCompare.Folder, "summary.csv"))
            .Where((l, i) => i == 0 || l.StartsWith("gicv3,kbuild,altra-vhe,", StringComparison.Ordinal) && l.Contains(",4,jobs=0;files=48;", StringComparison.Ordinal))
            .Select(l => l + "\n")));
        string thresholds = tmp.Write("t.json", """{ "default": { "relative": 0.5, "absolute": 1e9 } }""");
        var r = Call("check", "--baseline", baseline, "--thresholds", thresholds, "--in", tmp["edited"]);
        Assert.Equal(1, r.Exit); // within any threshold, but not the same profile
        Assert.Contains("PROFILE CHANGED", r.Out);
        Assert.Contains("profile changed since the baseline: altra-vhe", r.Out);
    }

    // ---- Sweeps and merge ----

    [Fact]
    public void An_unbounded_grid_is_exit_2_naming_the_spec_not_out_of_memory()
    {
        string spec = tmp.Write("huge.json", $$"""
            { "controllers": ["gicv3", "rvic", "ideal"], "workloads": ["hackbench", "kbuild"],
              "vcpus": [{{string.Join(", ", Enumerable.Range(1, 512))}}], "seeds": { "first": 1, "count": 10000 } }
            """);
        Bad(Call(["sweep", "--spec", spec, "--out", tmp["out"]], TimeSpan.FromSeconds(30)), "huge.json", "30,720,000 runs", "at most 1,000,000");
        Assert.False(Directory.Exists(tmp["out"]));
    }

    [Theory]
    [InlineData("""{ "controllers": ["ideal", "rvic", "ideal"], "workloads": ["microbench"], "seeds": [1] }""", "controllers[2]: controller ideal appears twice (also controllers[0])")]
    [InlineData("""{ "controllers": ["ideal"], "workloads": ["hackbench"], "vcpus": [4, 8, 4], "seeds": [1] }""", "vcpus[2]: the vCPU count 4 appears twice")]
    [InlineData("""{ "controllers": ["ideal"], "workloads": [{ "name": "hackbench", "params": [{ "groups": 2 }, { "groups": "2" }] }], "seeds": [1] }""", "workloads[0].params[1]: the parameter set")]
    [InlineData("""{ "controllers": ["ideal"], "workloads": ["hackbench", { "name": "hackbench", "vcpus": [4] }], "seeds": [1] }""", "workloads[1]: the same scenario as workloads[0]")]
    [InlineData("""{ "controllers": ["ideal"], "workloads": ["microbench"], "profiles": ["altra-vhe", "PROFILE"], "seeds": [1] }""", "profiles[1]: profile altra-vhe (the same file content) appears twice")]
    [InlineData("""{ "controllers": ["ideal"], "workloads": ["microbench"], "seeds": [3, 1, 3] }""", "seeds[2]: the seed 3 appears twice")]
    [InlineData("""{ "controllers": ["ideal"], "controllers": ["rvic"], "workloads": ["microbench"], "seeds": [1] }""", "controllers: appears twice in one object")]
    [InlineData("""{ "controllers": ["ideal"], "workloads": [{ "name": "hackbench", "params": [{ "groups": 2, "groups": 4 }] }], "seeds": [1] }""", "workloads[0].params[0].groups: appears twice")]
    [InlineData("""{ "controllers": ["ideal"], "workloads": [{ "name": "microbench", "params": [{ "test": "nosuch" }] }], "seeds": [1] }""", "workloads[0].params[0]: workload microbench: test=nosuch does not exist for controller ideal")]
    [InlineData("""{ "controllers": ["ideal"], "workloads": [{ "name": "trace", "params": [{ "file": "/nonexistent/t.csv" }] }], "seeds": [1] }""", "workloads[0].params[0]: trace /nonexistent/t.csv: cannot read it")]
    [InlineData("""{ "controllers": ["ideal"], "workloads": ["microbench"], "seeds": { "first": 9223372036854775807, "count": 2 } }""", "seeds.first: 9223372036854775807 is out of range")]
    public void A_spec_that_would_make_duplicate_or_failing_runs_is_exit_2_naming_the_field_and_writing_nothing(string json, string expected)
    {
        string spec = tmp.Write("spec.json", json.Replace("PROFILE", Path.Combine(ProfileStore.Directory, "altra-vhe.json")));
        Bad(["sweep", "--spec", spec, "--out", tmp["out"]], "spec.json: ", expected);
        Assert.False(Directory.Exists(tmp["out"])); // no grid.txt left behind
    }

    [Fact]
    public void Compare_counts_a_repeated_option_value_once_and_refuses_two_spellings_of_one_profile()
    {
        var r = Call([.. TinyCompare, "--controller", "gicv3", "--vcpus", "4", "--list"]);
        Assert.Equal(0, r.Exit);
        Assert.Contains("gicv3 × seed 1 = 1 run", r.Out);
        Bad([.. TinyCompare, "--profile", Path.Combine(ProfileStore.Directory, "altra-vhe.json"), "--list"], "the same profile as --profile altra-vhe");
    }

    private (string Shard, string Out, SortedDictionary<string, byte[]> Bytes) SweptShardAndMerged()
    {
        string spec = tmp.Write("spec.json", Spec);
        Assert.Equal(0, Call("sweep", "--spec", spec, "--out", tmp["s"]).Exit);
        Assert.Equal(0, Call("merge", tmp["s"], "--out", tmp["merged"]).Exit);
        return (tmp["s"], tmp["merged"], Snapshot(tmp["merged"]));
    }

    [Theory]
    [InlineData("truncated", "is truncated")]
    [InlineData("header only", "holds 0 runs, not one")]
    [InlineData("deleted counters", "000001.counters.csv: a damaged part: is missing")]
    [InlineData("another run", "not grid run 1")]
    [InlineData("garbage", "does not start with the header")]
    public void Merge_and_reassembly_check_every_part_before_writing(string damage, string expected)
    {
        var (shard, merged, before) = SweptShardAndMerged();
        string runs = Path.Combine(shard, "parts", "000001.runs.csv");
        string text = File.ReadAllText(runs);
        switch (damage)
        {
            case "truncated": File.WriteAllText(runs, text[..(text.Length - 40)]); break;
            case "header only": File.WriteAllText(runs, text[..(text.IndexOf('\n') + 1)]); break;
            case "deleted counters": File.Delete(Path.Combine(shard, "parts", "000001.counters.csv")); break;
            case "another run": File.Copy(Path.Combine(shard, "parts", "000000.runs.csv"), runs, overwrite: true); break;
            default: File.WriteAllBytes(runs, [0x7F, 0x45, 0x4C, 0x46, 0, 1, 2, 10]); break;
        }
        var shardBefore = Snapshot(shard);
        Bad(["merge", shard, "--out", merged], expected);
        Same(before, merged);
        // The sweep itself reassembles from its parts: the same check, and its runs.csv is not overwritten.
        Bad(["sweep", "--spec", tmp["spec.json"], "--out", shard], expected);
        Same(shardBefore, shard);
    }

    // ---- check ----

    private string Baseline(Func<string[], string[], string[]> edit)
    {
        var lines = File.ReadAllLines(Path.Combine(QuickCompare.Folder, "summary.csv"));
        var header = lines[0].Split(',');
        var row = edit(header, lines[1].Split(','));
        return tmp.Write("baseline.csv", $"{lines[0]}\n{string.Join(',', row)}\n{string.Join('\n', lines.Skip(2))}\n");
    }

    private static string[] Set(string[] header, string[] row, string column, string value)
    {
        row[Array.IndexOf(header, column)] = value;
        return row;
    }

    [Theory]
    [InlineData("median", "NaN", "line 2: median NaN: expected a finite number")]
    [InlineData("metric", "speed", "line 2: unknown metric 'speed'")]
    [InlineData("n", "0", "line 2: n 0")]
    public void A_baseline_row_no_summary_can_hold_is_exit_2_not_a_regression(string column, string value, string expected)
    {
        string b = Baseline((h, r) => Set(h, r, column, value));
        string t = tmp.Write("t.json", """{ "default": { "relative": 0.0001, "absolute": 0.002 } }""");
        Bad(["check", "--baseline", b, "--thresholds", t, "--in", QuickCompare.Folder], "baseline.csv: ", expected);
    }

    [Fact]
    public void A_check_whose_ignore_list_covers_every_metric_fails_having_checked_nothing()
    {
        string b = tmp.Write("baseline.csv", string.Concat(File.ReadAllLines(Path.Combine(QuickCompare.Folder, "summary.csv"))
            .Where((l, i) => i == 0 || l.Contains(",avg_ns,", StringComparison.Ordinal)).Select(l => l + "\n")));
        string t = tmp.Write("t.json", """{ "default": { "relative": 0 }, "ignore": ["avg_ns"] }""");
        Bad(["check", "--baseline", b, "--thresholds", t, "--in", QuickCompare.Folder], "t.json: ignore: covers every metric", "would compare nothing");
    }

    [Fact]
    public void The_documented_empty_ignore_list_is_accepted()
    {
        string b = tmp.Write("baseline.csv", File.ReadAllText(Path.Combine(QuickCompare.Folder, "summary.csv")));
        string t = tmp.Write("t.json", """{ "default": { "relative": 0.0001, "absolute": 0.002 }, "metrics": { "irq_latency_max_ns": { "relative": 0.001 } }, "ignore": [], "host": { "threshold_percent": 10, "alpha": 0.01 } }""");
        Assert.Equal(0, Call("check", "--baseline", b, "--thresholds", t, "--in", QuickCompare.Folder).Exit);
    }

    [Theory]
    [InlineData("""{ "default": { "relative": 1e400 } }""", "default.relative: 1e400 is not a finite number")]
    [InlineData("""{ "default": { "relative": 0.1, "absolute": -1e400 } }""", "default.absolute: -1e400 is not a finite number")]
    [InlineData("""{ "default": { "relative": 0.1 }, "host": { "alpha": 1e400 } }""", "host.alpha: expected a number in (0, 0.5], found 1e400")]
    [InlineData("""{ "default": { "relative": 0.1 }, "ignore": ["avg_ns", "avg_ns"] }""", "ignore[1]: 'avg_ns' appears twice")]
    [InlineData("""{ "default": { "relative": 0.1 }, "default": { "relative": 0.2 } }""", "default: appears twice in one object")]
    public void Thresholds_out_of_range_say_what_is_wrong(string json, string expected)
    {
        string t = tmp.Write("thresholds.json", json);
        string b = tmp.Write("baseline.csv", File.ReadAllText(Path.Combine(QuickCompare.Folder, "summary.csv")));
        var r = Bad(["check", "--baseline", b, "--thresholds", t, "--in", QuickCompare.Folder], "thresholds.json: ", expected);
        Assert.DoesNotContain("1e400 is negative", r.Err);
    }

    // ---- report and check on impossible results ----

    [Theory]
    [InlineData("sim_ns", "NaN", "sim_ns NaN: expected a finite number above 0")]
    [InlineData("sim_ns", "-5", "sim_ns -5: expected a finite number above 0")]
    [InlineData("vcpus", "-4", "vcpus -4: expected a vCPU count from 1 to 512")]
    [InlineData("work_units", "0", "work_units 0: expected a finite number above 0")]
    [InlineData("hyp_cycles", "-1", "hyp_cycles -1: expected a count")]
    [InlineData("twice", "", "appears twice (also line")]
    public void Report_and_check_refuse_runs_no_model_can_produce_leaving_the_folder_untouched(string column, string value, string expected)
    {
        QuickCompare.CopyTo(tmp["d"]);
        string runs = Path.Combine(tmp["d"], "runs.csv");
        var lines = File.ReadAllLines(runs).ToList();
        if (column == "twice") lines = [lines[0], .. lines.Skip(1), .. lines.Skip(1)];
        else
        {
            var h = lines[0].Split(',');
            lines[3] = string.Join(',', Set(h, lines[3].Split(','), column, value));
        }
        File.WriteAllText(runs, string.Join('\n', lines) + "\n");
        var before = Snapshot(tmp["d"]);
        Bad(["report", "--in", tmp["d"]], "runs.csv: line ", expected);
        Same(before, tmp["d"]);
        string t = tmp.Write("t.json", """{ "default": { "relative": 0.0001, "absolute": 0.002 } }""");
        Bad(["check", "--baseline", Path.Combine(QuickCompare.Folder, "summary.csv"), "--thresholds", t, "--in", tmp["d"]], "runs.csv: line ", expected);
    }

    [Fact]
    public void A_controller_given_twice_to_microbench_counts_once_and_report_refuses_doubled_rows()
    {
        var r = Call("microbench", "--controller", "rvic", "--controller", "rvic", "--out", tmp["m"]);
        Assert.Equal(0, r.Exit);
        var rows = Output.CsvFiles.ReadMicrobench(tmp["m/microbench.csv"]);
        Assert.Equal(rows.Count, rows.Select(x => x.Test).Distinct().Count());
        Assert.Equal(0, Call("report", "--in", tmp["m"]).Exit);

        var lines = File.ReadAllLines(tmp["m/microbench.csv"]);
        File.WriteAllText(tmp["m/microbench.csv"], string.Join('\n', [.. lines, .. lines.Skip(1)]) + "\n");
        var before = Snapshot(tmp["m"]);
        Bad(["report", "--in", tmp["m"]], "microbench.csv: line ", "appears twice");
        Same(before, tmp["m"]);
    }

    [Theory]
    [InlineData("plots", "plots there is a file")]
    [InlineData("summary.csv", "summary.csv there is a folder")]
    public void Report_with_a_blocked_output_path_is_exit_2_before_rewriting_anything(string blocked, string expected)
    {
        QuickCompare.CopyTo(tmp["d"]);
        string path = Path.Combine(tmp["d"], blocked);
        if (blocked == "plots")
        {
            Directory.Delete(path, recursive: true);
            File.WriteAllText(path, "in the way\n");
        }
        else
        {
            File.Delete(path);
            Directory.CreateDirectory(path);
            File.WriteAllText(Path.Combine(path, "keep"), "mine\n");
        }
        var before = Snapshot(tmp["d"]);
        Bad(["report", "--in", tmp["d"]], "--in", expected);
        Same(before, tmp["d"]);
    }

    // ---- traces ----

    private const string TraceHeader = "time_ns,cpu,kind,source,target,id\n";

    [Theory]
    [InlineData("9223372036854775000,1,timer,,1,", "line 3: time_ns 9223372036854775000 is beyond 1000000000000 ns")]
    [InlineData("9223372036854775808,1,timer,,1,", "line 3: time_ns '9223372036854775808' is not a non-negative integer")]
    [InlineData("200,1,device,0,1,virtio0", "line 3: a device row has an empty source (only an ipi has a sender), found '0'")]
    [InlineData("200,1,timer,1,1,", "line 3: a timer row has an empty source")]
    [InlineData("200,1,timer,,1,x", "line 3: a timer row has an empty id")]
    public void A_trace_row_the_format_forbids_is_exit_2_naming_file_and_line(string row, string expected)
    {
        string trace = tmp.Write("t.csv", TraceHeader + "100,0,ipi,0,1,\n" + row + "\n");
        var (dir, before) = ExistingRun();
        Bad([.. RunArgs[..4], "trace", "--vcpus", "4", "--set", $"file={trace}", "--out", dir], "t.csv line", expected);
        Same(before, dir);
    }

    [Fact]
    public void A_binary_trace_is_named_without_echoing_control_bytes()
    {
        var bytes = new byte[4096];
        new Random(1).NextBytes(bytes);
        "\u001b[2J\u0007"u8.CopyTo(bytes); // clear the screen and ring the bell, if echoed raw
        string trace = Path.Combine(tmp.Path, "binary.csv");
        File.WriteAllBytes(trace, bytes);
        var r = Bad([.. RunArgs[..4], "trace", "--vcpus", "4", "--set", $"file={trace}", "--out", tmp["o"]], "binary.csv line 1", "expected the header", "\\x1B[2J\\x07");
        Assert.DoesNotContain('\u001b', r.Err);
        Assert.False(Directory.Exists(tmp["o"]));
    }

    [Fact]
    public void A_trace_that_is_dev_zero_is_exit_2_not_out_of_memory()
    {
        Bad(Call([.. RunArgs[..4], "trace", "--vcpus", "4", "--set", "file=/dev/zero", "--out", tmp["o"]], TimeSpan.FromSeconds(60)), "/dev/zero", "not a regular file");
    }

    // ---- parse errors ----

    [Theory]
    [InlineData("run --controller ideal --workload microbench --vcpus x", "--vcpus x: not an integer")]
    [InlineData("compare --seeds 1.5 --list", "--seeds 1.5: not an integer")]
    [InlineData("compare --vcpus 4 --vcpus four --list", "--vcpus four: not an integer")]
    [InlineData("compare --threshold abc --list", "--threshold abc: not a number")]
    [InlineData("compare -j many --list", "-j many: not an integer")]
    [InlineData("sweep --spec s.json --max-runs lots", "--max-runs lots: not an integer")]
    [InlineData("sensitivity --range wide", "--range wide: not a number")]
    [InlineData("sensitivity --top 1e3", "--top 1e3: not an integer")]
    public void A_value_that_does_not_parse_is_named_without_dotnet_type_names(string command, string expected)
    {
        var r = Bad(command.Split(' '), expected);
        Assert.DoesNotContain("System.", r.All);
        Assert.DoesNotContain("Nullable", r.All);
    }

    [Fact]
    public void A_parameter_set_twice_is_exit_2_naming_the_key()
    {
        var (dir, before) = ExistingRun();
        Bad([.. RunArgs, "--set", "test=hvc", "--set", "test=ipi", "--out", dir], "--set test=ipi: test is given twice (also --set test=hvc)");
        Bad(["sensitivity", "--workload", "hackbench", "--set", "groups=2", "--set", "groups=3"], "groups is given twice");
        Same(before, dir);
    }

    [Fact]
    public void A_folder_given_through_a_symbolic_link_is_written_where_it_points()
    {
        Directory.CreateDirectory(tmp["real"]);
        File.CreateSymbolicLink(tmp["link"], tmp["real"]);
        Assert.Equal(0, Call([.. RunArgs, "--out", tmp["link"]]).Exit);
        Assert.True(new FileInfo(tmp["link"]).LinkTarget is not null);
        Assert.True(File.Exists(tmp["real/runs.csv"]));
        Assert.Equal(0, Call([.. RunArgs, "--seed", "2", "--out", tmp["link"]]).Exit);
        Assert.Equal(2UL, Output.CsvFiles.ReadRuns(tmp["real/runs.csv"]).Single().Seed);
    }
}
