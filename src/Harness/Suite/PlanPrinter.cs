using System.Globalization;

namespace IrqBench.Harness.Suite;

/// <summary><c>compare --list</c>: what a plan would run, one line per profile, workload and vCPU count with its
/// designs and seeds, then the totals. Nothing runs.</summary>
public static class PlanPrinter
{
    public static void Print(SuitePlan plan, TextWriter o)
    {
        o.WriteLine(Describe(plan));
        foreach (var g in plan.Microbench.GroupBy(m => m.Profile))
            o.WriteLine($"  {g.Key,-14} microbench   {string.Join(", ", g.GroupBy(m => m.Kit.Name).Select(k => $"{k.Key}: {Plural.Of(k.Count(), "test")}"))}");
        foreach (var g in plan.Runs.GroupBy(r => (r.Profile, r.Workload, r.Vcpus, Sets: Sets(r))))
        {
            var designs = g.Select(r => r.Controller).Distinct().ToList();
            o.WriteLine($"  {g.Key.Profile,-14} {g.Key.Workload,-12} {Plural.Of(g.Key.Vcpus, "vCPU"),-9} {string.Join(", ", designs)} × {Seeds(g.Select(r => r.Seed))}" +
                        $" = {Plural.Of(g.Count(), "run")}{(g.Key.Sets.Length > 0 ? "  (" + g.Key.Sets + ")" : "")}");
        }
        foreach (var n in plan.Notes) o.WriteLine($"note: {n}");
        o.WriteLine($"{Plural.Of(plan.Runs.Count, "run")} and {Plural.Of(plan.Microbench.Count, "micro-benchmark")} would run; nothing was run (--list)");
    }

    /// <summary>One sentence for notes.txt and the top of --list.</summary>
    public static string Describe(SuitePlan plan) =>
        $"suite '{plan.Suite.Name}': profiles {string.Join(", ", plan.Profiles)}; designs {string.Join(", ", plan.Controllers)}; " +
        $"workloads {string.Join(", ", plan.Runs.Select(r => r.Workload).Distinct().Prepend(plan.Microbench.Count > 0 ? SuiteDefinition.Microbench : null).OfType<string>())}; " +
        $"seeds 1-{plan.Seeds.ToString(CultureInfo.InvariantCulture)} for every design; baseline {plan.Baseline}";

    private static string Sets(Scenario s) => string.Join(",", s.Sets.Select(kv => $"{kv.Key}={kv.Value}"));

    private static string Seeds(IEnumerable<ulong> seeds)
    {
        var s = seeds.Distinct().Order().ToList();
        return s.Count == 1 ? $"seed {s[0]}" : $"seeds {s[0]}-{s[^1]}";
    }
}
