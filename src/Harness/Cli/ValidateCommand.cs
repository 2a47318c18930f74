using System.CommandLine;
using IrqBench.Harness.Output;
using IrqBench.Harness.Validation;

namespace IrqBench.Harness.Cli;

/// <summary><c>irqbench validate [--profile P]... [--no-hackbench] [-j N] [--out DIR]</c>: the model beside every
/// published figure, calibrated or predicted (see <see cref="Validator"/>).</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var profiles = new Option<List<string>>("--profile") { Description = "profile (repeatable; default: every profile with a published machine)", HelpName = "P" };
        var noHackbench = new Option<bool>("--no-hackbench") { Description = "only the micro-benchmark figures (the hackbench series runs 4-20 M messages each)" };
        var jobs = new Option<int>("-j") { Description = "runs in parallel (the rows do not depend on it)", DefaultValueFactory = _ => Environment.ProcessorCount, HelpName = "N" };
        var outDir = new Option<string?>("--out") { Description = "folder for validate.md and validate.csv", HelpName = "DIR" };
        var cmd = new Command("validate", "the model beside every published figure the project cites, calibrated vs predicted") { profiles, noHackbench, jobs, outDir };
        cmd.SetAction(pr =>
        {
            int j = pr.GetValue(jobs);
            if (j < 1) throw new InputException($"-j {j}: give at least one parallel run");
            var names = pr.GetValue(profiles) is { Count: > 0 } l ? l.Distinct().ToList() : ProfileStore.Names.ToList();
            var loaded = names.Select(ProfileStore.Load).Where(p => p.PublishedMachine is not null).ToList();
            if (loaded.Count == 0) throw new InputException($"none of the profiles {string.Join(", ", names)} names a published_machine: nothing to validate against");
            using var output = pr.GetValue(outDir) is { } dir ? OutputFolder.Begin(dir, ResultKind.Validate) : null;
            var plan = Validator.Plan(loaded, !pr.GetValue(noHackbench));
            var rows = Validator.Run(plan, j);
            Console.Write(ValidationReport.Markdown(rows));
            if (output is not null)
            {
                AtomicFile.WriteText(output["validate.md"], ValidationReport.Markdown(rows));
                AtomicFile.WriteText(output["validate.csv"], ValidationReport.Csv(rows));
                output.Commit();
                Console.WriteLine($"wrote {Path.Combine(output.Given, "validate.md")} and validate.csv");
            }
            return 0;
        });
        return cmd;
    }
}
