using System.CommandLine;

namespace IrqBench.Harness.Cli;

/// <summary><c>irqbench workloads [NAME]</c>: every workload with its parameters — default, allowed values and what
/// each means — as <c>run --set</c> and sweep specs take them.</summary>
internal static class WorkloadsCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("NAME") { Description = "one workload (default: all)", Arity = ArgumentArity.ZeroOrOne };
        var problem = CommonOptions.NameProblem("workload", Registry.WorkloadNames);
        name.Validators.Add(r =>
        {
            foreach (var t in r.Tokens)
                if (problem(t.Value) is { } why) r.AddError(why);
        });
        var cmd = new Command("workloads", "list the workloads and their parameters (defaults and ranges)") { name };
        cmd.SetAction(pr =>
        {
            foreach (var w in Registry.Workloads.Where(w => pr.GetValue(name) is not { } n || w.Name == n))
            {
                Console.WriteLine($"{w.Name}: {w.Description}" + (w.FixedVcpus is { } v ? $" (runs on exactly {Plural.Of(v, "vCPU")})" : ""));
                foreach (var p in w.Parameters)
                    Console.WriteLine($"  {p.Name,-20} default {p.Default,-10} {p.AllowedText,-36} {p.Description}");
                Console.WriteLine();
            }
            return 0;
        });
        return cmd;
    }
}
