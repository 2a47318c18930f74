using System.CommandLine;
using IrqBench.Harness.Cli;

namespace IrqBench.Harness;

/// <summary>
/// The <c>irqbench</c> command line (DESIGN §8). Exit codes: 0 done, 1 a check found a regression, 2 bad input.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("IrqBench: emulated GICv3 against paravirtual rVIC/rVID on one vCPU and trap-cost model");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(MicrobenchCommand.Create());
        root.Subcommands.Add(ProfilesCommand.Create());
        root.Subcommands.Add(HostBench.HostbenchCommand.Create());
        root.Subcommands.Add(CompareCommand.Create(out var compareAsRoot));
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(SweepCommand.Create());
        root.Subcommands.Add(SweepCommand.CreateMerge());
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(SensitivityCommand.Create());
        compareAsRoot(root); // DESIGN §8: irqbench alone is irqbench compare
        return Invoke(root, args);
    }

    /// <summary>Parses and runs; parse errors and <see cref="InputException"/> become exit code 2 with the reason on
    /// stderr.</summary>
    public static int Invoke(RootCommand root, string[] args)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) Console.Error.WriteLine($"irqbench: {e.Message}");
            Console.Error.WriteLine("irqbench: see 'irqbench --help'");
            return 2;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (InputException e)
        {
            Console.Error.WriteLine($"irqbench: {e.Message}");
            return 2;
        }
    }
}
