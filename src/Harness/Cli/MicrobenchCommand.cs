using System.CommandLine;
using System.Globalization;
using IrqBench.Harness.Output;
using IrqBench.Workloads.MicroBench;

namespace IrqBench.Harness.Cli;

/// <summary><c>irqbench microbench</c>: the kvm-unit-tests micro-bench table for each controller, model beside the
/// published figure of the profile's machine.</summary>
internal static class MicrobenchCommand
{
    public static Command Create()
    {
        var controllers = new Option<List<string>>("--controller") { Description = "controller (repeatable; default: all)" };
        var profile = CommonOptions.Profile();
        var seed = CommonOptions.Seed();
        var outDir = new Option<string?>("--out") { Description = "folder for microbench.csv" };
        var cmd = new Command("microbench", "kvm-unit-tests arm/micro-bench shapes, per controller") { controllers, profile, seed, outDir };
        cmd.SetAction(pr =>
        {
            var rows = Execute(pr.GetValue(controllers), pr.GetValue(profile)!, pr.GetValue(seed)!);
            Print(rows, Console.Out);
            if (pr.GetValue(outDir) is { } dir)
            {
                string path = Path.Combine(dir, "microbench.csv");
                CsvFiles.WriteMicrobench(path, rows.Select(MicrobenchRow.From));
                Console.WriteLine($"wrote {path}");
            }
            return 0;
        });
        return cmd;
    }

    public static List<MicroBenchResult> Execute(IEnumerable<string>? controllerNames, string profileName, string seedText)
    {
        var names = controllerNames?.ToList() is { Count: > 0 } l ? l : Registry.Controllers.Select(c => c.Name).ToList();
        var kits = names.Select(n => Registry.FindController(n)
            ?? throw new InputException($"unknown controller '{n}' (available: {string.Join(", ", Registry.Controllers.Select(c => c.Name))})")).ToList();
        var profile = ProfileStore.Load(profileName);
        ulong seed = CommonOptions.ParseSeed(seedText);
        return kits.SelectMany(k => MicroBenchRunner.TestsFor(k).Select(t => MicroBenchRunner.Run(k, profile, t, seed))).ToList();
    }

    public static void Print(IReadOnlyList<MicroBenchResult> rows, TextWriter o)
    {
        var ci = CultureInfo.InvariantCulture;
        foreach (var group in rows.GroupBy(r => (r.Controller, r.Profile)))
        {
            o.WriteLine($"micro-bench: controller {group.Key.Controller}, profile {group.Key.Profile}");
            o.WriteLine(string.Format(ci, "{0,-16} {1,10} {2,16} {3,12} {4,12} {5,14} {6,8}", "name", "iterations", "total ns", "avg ns", "exits/op", "published ns", "ratio"));
            foreach (var r in group)
            {
                if (r.Skipped is not null) { o.WriteLine($"{r.Test,-16} SKIP: {r.Skipped}"); continue; }
                o.WriteLine(string.Format(ci, "{0,-16} {1,10} {2,16:F0} {3,12:F1} {4,12:F2} {5,14} {6,8}", r.Test, r.Iterations, r.TotalNs, r.AvgNs,
                    r.ExitsPerOp, r.PublishedNs is { } p ? p.ToString("F0", ci) : "-", r.Ratio is { } q ? q.ToString("F2", ci) : "-"));
            }
            o.WriteLine();
        }
    }
}
