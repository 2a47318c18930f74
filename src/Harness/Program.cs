using System.CommandLine;
using System.CommandLine.Invocation;
using IrqBench.Harness.Cli;

namespace IrqBench.Harness;

/// <summary>
/// The <c>irqbench</c> command line (DESIGN §8). Exit codes: 0 done, 1 a check found a regression, 2 bad input.
/// </summary>
public static class Program
{
    public const string Description =
        "IrqBench: interrupt controllers for arm64 VMs (emulated GICv3 and its GICv4.1 variant, paravirtual rVIC/rVID, an ideal bound) " +
        "on one vCPU and trap-cost model, per hypervisor organisation.\n" +
        "With no arguments, irqbench runs 'compare' (the standard suite, into results/latest/).\n" +
        "Exit codes: 0 done, 1 a check found a regression, 2 bad input (usage, unreadable or invalid file, invalid value).";

    public static int Main(string[] args)
    {
        var root = new RootCommand(Description);
        root.Subcommands.Add(CompareCommand.Create(out var compareAsRoot));
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(WorkloadsCommand.Create());
        root.Subcommands.Add(MicrobenchCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(DiffCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(SweepCommand.Create());
        root.Subcommands.Add(SweepCommand.CreateMerge());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(SensitivityCommand.Create());
        root.Subcommands.Add(TrustCommand.Create());
        root.Subcommands.Add(GanttCommand.Create());
        root.Subcommands.Add(ProfilesCommand.Create());
        root.Subcommands.Add(HostBench.HostbenchCommand.Create());
        compareAsRoot(root); // DESIGN §8: irqbench alone is irqbench compare
        CommonOptions.NumbersNamedPlainly(root);
        return Invoke(root, args);
    }

    /// <summary>Parses and runs. A usage error prints its message, System.CommandLine's "did you mean" suggestions and
    /// the help of the verb it concerns, all on stderr, and is exit code 2; so is an <see cref="InputException"/>
    /// (bad input found after parsing), with the reason on stderr.</summary>
    public static int Invoke(RootCommand root, string[] args)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            if (parse.Action is ParseErrorAction error)
            {
                error.ShowHelp = true;
                error.ShowTypoCorrections = true;
            }
            parse.Invoke(new InvocationConfiguration { Output = Console.Error, Error = Console.Error });
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
        catch (Machine.Costs.ProfileException e)
        {
            // A design whose cost section the profile does not hold (a plugin's, found only when it runs).
            Console.Error.WriteLine($"irqbench: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file or folder the system refused (full disk, permissions, a path that vanished): bad input of the
            // environment, said plainly; the output folders are written all or nothing, so nothing was half-written.
            Console.Error.WriteLine($"irqbench: {e.Message}");
            return 2;
        }
    }
}
