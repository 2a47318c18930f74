using System.CommandLine;
using System.Globalization;

namespace IrqBench.Harness.Cli;

/// <summary><c>irqbench profiles</c>: each profile, validated, with its organisation and clock; <c>--show NAME</c>
/// lists every primitive with its source.</summary>
internal static class ProfilesCommand
{
    public static Command Create()
    {
        var show = new Option<string?>("--show") { Description = "list the primitives of one profile with their sources", HelpName = "P" };
        var cmd = new Command("profiles", "list the cost profiles") { show };
        cmd.SetAction(pr =>
        {
            var ci = CultureInfo.InvariantCulture;
            if (pr.GetValue(show) is { } name)
            {
                var p = ProfileStore.Load(name);
                Console.WriteLine($"{p.Name}: {p.Organisation.ToString().ToLowerInvariant()}, {p.FrequencyHz / 1e9:F2} GHz — {p.Description}");
                Console.WriteLine($"  file {ProfileStore.DisplayPath(p.Source)}, sha256 {p.ContentHash}");
                foreach (var prim in p.All)
                    Console.WriteLine(string.Format(ci, "  {0,-36} {1,10}  {2}", $"{prim.Section}.{prim.Name}", prim.Cycles, prim.Source));
                return 0;
            }
            foreach (var n in ProfileStore.Names)
            {
                var p = ProfileStore.Load(n);
                Console.WriteLine(string.Format(ci, "{0,-14} {1,-5} {2,5:F2} GHz  {3}", p.Name, p.Organisation.ToString().ToLowerInvariant(), p.FrequencyHz / 1e9, p.Description));
            }
            return 0;
        });
        return cmd;
    }
}
