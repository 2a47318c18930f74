using System.CommandLine;
using System.Globalization;
using IrqBench.Harness.Output;
using IrqBench.Workloads.MicroBench;

namespace IrqBench.Harness.Cli;

/// <summary><c>irqbench microbench</c>: the kvm-unit-tests micro-bench table for each controller, model beside the
/// published figure of the profile's machine (a measurement of KVM's GICv3 emulation, so model / published is given
/// for gicv3 only).</summary>
internal static class MicrobenchCommand
{
    public static Command Create()
    {
        var controllers = CommonOptions.Controllers("controllers (repeatable, a repeated one counts once; default: all): " + string.Join(", ", Registry.ControllerNames));
        var profile = CommonOptions.Profile();
        var seed = CommonOptions.Seed();
        var outDir = new Option<string?>("--out") { Description = "folder for microbench.csv", HelpName = "DIR" };
        var cmd = new Command("microbench", "kvm-unit-tests arm/micro-bench shapes, per controller") { controllers, profile, seed, outDir };
        cmd.SetAction(pr =>
        {
            var run = Prepare(pr.GetValue(controllers), pr.GetValue(profile)!, pr.GetValue(seed)!);
            using var output = pr.GetValue(outDir) is { } dir ? OutputFolder.Begin(dir, ResultKind.Microbench) : null;
            var rows = run();
            Print(rows, Console.Out);
            if (output is not null)
            {
                CsvFiles.WriteMicrobench(output["microbench.csv"], rows);
                output.Commit();
                Console.WriteLine($"wrote {Path.Combine(output.Given, "microbench.csv")}");
            }
            return 0;
        });
        return cmd;
    }

    public static List<MicrobenchRow> Execute(IEnumerable<string>? controllerNames, string profileName, string seedText) =>
        Prepare(controllerNames, profileName, seedText)();

    /// <summary>Validates the arguments; the table is computed when the result is called. A controller given twice
    /// counts once, as in compare.</summary>
    public static Func<List<MicrobenchRow>> Prepare(IEnumerable<string>? controllerNames, string profileName, string seedText)
    {
        var names = controllerNames?.Distinct().ToList() is { Count: > 0 } l ? l : Registry.ControllerNames.ToList();
        var kits = names.Select(Registry.Controller).ToList();
        var profile = ProfileStore.Load(profileName);
        ulong seed = CommonOptions.ParseSeed(seedText);
        return () => kits.SelectMany(k => MicroBenchRunner.TestsFor(k).Select(t => MicrobenchRow.From(MicroBenchRunner.Run(k, profile, t, seed), profile))).ToList();
    }

    public static void Print(IReadOnlyList<MicrobenchRow> rows, TextWriter o)
    {
        var ci = CultureInfo.InvariantCulture;
        foreach (var group in rows.GroupBy(r => (r.Controller, r.Profile)))
        {
            o.WriteLine($"micro-bench: controller {group.Key.Controller}, profile {group.Key.Profile}");
            o.WriteLine(string.Format(ci, "{0,-16} {1,10} {2,16} {3,12} {4,12} {5,14} {6,16}", "name", "iterations", "total ns", "avg ns", "exits/op", "published ns", "model/published"));
            foreach (var r in group)
            {
                if (r.Skipped.Length > 0) { o.WriteLine($"{r.Test,-16} SKIP: {r.Skipped}"); continue; }
                o.WriteLine(string.Format(ci, "{0,-16} {1,10} {2,16:F0} {3,12:F1} {4,12:F2} {5,14} {6,16}", r.Test, r.Iterations, r.TotalNs, r.AvgNs,
                    r.ExitsPerOp, r.PublishedNs is { } p ? p.ToString("F0", ci) : "-", r.Ratio is { } q ? q.ToString("F2", ci) : "-"));
            }
            o.WriteLine();
        }
    }
}
