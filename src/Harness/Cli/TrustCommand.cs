using System.CommandLine;
using IrqBench.Harness.Output;
using IrqBench.Harness.Trust;

namespace IrqBench.Harness.Cli;

/// <summary><c>irqbench trust [--profile P]... [--controller C]... [--attempts N] [-j N] [--out DIR]</c>: the untrusted
/// host's attacks on a protected guest, per design and organisation, and each design's trusted surface (see
/// <see cref="TrustComparison"/>).</summary>
internal static class TrustCommand
{
    public const int DefaultAttempts = 20;

    public static Command Create()
    {
        var profiles = CommonOptions.Profiles();
        profiles.Description = "profiles, one per organisation (repeatable; default: " + string.Join(", ", TrustComparison.DefaultProfiles) + ")";
        var controllers = CommonOptions.Controllers("designs (repeatable; default: every design that describes its host's reach)");
        var attempts = new Option<int>("--attempts") { Description = "seeded attempts per design, organisation and attack", DefaultValueFactory = _ => DefaultAttempts, HelpName = "N" };
        var jobs = CommonOptions.Jobs();
        var outDir = new Option<string?>("--out") { Description = "folder for trust.md, trust.csv and trust_surface.csv", HelpName = "DIR" };
        var cmd = new Command("trust", "what an untrusted host can do to a protected guest's interrupts (forgery) and what each design's trusted part implements")
            { profiles, controllers, attempts, jobs, outDir };
        cmd.SetAction(pr =>
        {
            int n = pr.GetValue(attempts);
            if (n is < 1 or > 10_000) throw new InputException($"--attempts {n}: give 1 to 10000 attempts");
            string? dir = pr.GetValue(outDir);
            using var output = dir is null ? null : OutputFolder.Begin(dir, ResultKind.Trust);
            var loaded = (pr.GetValue(profiles) is { Count: > 0 } p ? p : TrustComparison.DefaultProfiles).Select(ProfileStore.Load).ToList();
            var kits = pr.GetValue(controllers) is { Count: > 0 } c ? c.Select(Registry.Controller).ToList() : Registry.Controllers.ToList();
            var without = kits.Where(k => k.HostSurface is null).Select(k => k.Name).ToList();
            var trust = new TrustComparison(kits, loaded, n);
            if (trust.Kits.Count == 0) throw new InputException($"none of {string.Join(", ", kits.Select(k => k.Name))} describes what its host can reach: nothing to attack");
            var forgery = trust.RunForgery(pr.GetValue(jobs));
            var surface = trust.Surfaces();
            string md = TrustReport.Markdown(forgery, surface);
            if (without.Count > 0) md += $"Not attacked (no host surface described): {string.Join(", ", without)}.\n";
            Console.Write(md);
            if (output is not null)
            {
                AtomicFile.WriteText(output["trust.md"], md);
                CsvFiles.WriteTrust(output["trust.csv"], forgery);
                CsvFiles.WriteTrustSurface(output["trust_surface.csv"], surface);
                output.Commit();
                Console.WriteLine($"wrote {Path.Combine(dir!, "trust.md")}, trust.csv and trust_surface.csv");
            }
            return 0;
        });
        return cmd;
    }
}
