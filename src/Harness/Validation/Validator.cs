using IrqBench.Machine.Costs;
using IrqBench.Workloads;
using IrqBench.Workloads.Hackbench;
using IrqBench.Workloads.MicroBench;
using IrqBench.Workloads.Parameters;

namespace IrqBench.Harness.Validation;

/// <summary>
/// <c>irqbench validate</c>: every published figure the project cites, run in the model on the profile of the
/// machine it was measured on and the design it was measured with (gicv3), beside the figure. A figure that some
/// primitive of the profile names in its <c>calibrated_on</c> is a calibration check; every other one is a prediction.
/// </summary>
public static class Validator
{
    /// <summary>The work of one figure: run independently of the others (so they can run on several cores) and give
    /// back its row(s).</summary>
    public sealed record Job(string Label, Func<IReadOnlyList<ValidationRow>> Run);

    public static IReadOnlyList<Job> Plan(IEnumerable<CostProfile> profiles, bool includeHackbench)
    {
        var kit = Registry.FindController(PublishedFigures.MeasuredDesign)
            ?? throw new InputException($"validate needs the '{PublishedFigures.MeasuredDesign}' controller, which this build does not register");
        var jobs = new List<Job>();
        foreach (var profile in profiles)
        {
            var calibrated = profile.CalibratedOn;
            FigureRole RoleOf(string figure) => calibrated.Contains(figure) ? FigureRole.Calibrated : FigureRole.Predicted;
            foreach (var (test, fig) in PublishedFigures.For(profile.PublishedMachine))
            {
                var bench = MicroBenchRunner.TestsFor(kit).FirstOrDefault(t => t.Name == test);
                if (bench is null) continue;
                jobs.Add(new($"{profile.Name} {test}", () =>
                {
                    var r = MicroBenchRunner.Run(kit, profile, bench, seed: 1);
                    return [new ValidationRow(profile.Name, profile.PublishedMachine!, test, "ns", r.AvgNs, fig.Ns, RoleOf(test), fig.Source)];
                }));
            }
            if (!includeHackbench) continue;
            var hackbench = Registry.FindWorkload("hackbench");
            foreach (var pub in PublishedHackbench.For(profile.PublishedMachine))
            {
                if (hackbench is null) break;
                jobs.Add(new($"{profile.Name} hackbench {pub.Groups} groups", () =>
                {
                    var sets = new[] { KeyValuePair.Create("groups", $"{pub.Groups}"), KeyValuePair.Create("loops", $"{pub.Loops}") };
                    var spec = new RunSpec(kit, profile, pub.Vcpus, 1, WorkloadParameters.Create(hackbench.Name, hackbench.Parameters, sets));
                    var r = hackbench.Run(spec);
                    string name = $"hackbench {pub.Vcpus} vCPUs, {pub.Groups} groups, {pub.Loops} loops";
                    return
                    [
                        new ValidationRow(profile.Name, pub.Machine, name + ": time", "s", profile.CyclesToNs(r.SimCycles) / 1e9, pub.Seconds, FigureRole.Predicted, pub.Source),
                        new ValidationRow(profile.Name, pub.Machine, name + ": exits (whole run)", "exits", r.Metrics.Get("run.exits_total").Value, pub.Exits, FigureRole.Predicted, pub.Source),
                    ];
                }));
            }
        }
        return jobs;
    }

    /// <summary>Runs the jobs on <paramref name="parallelism"/> cores; the rows come back in the plan's order,
    /// whatever the parallelism.</summary>
    public static IReadOnlyList<ValidationRow> Run(IReadOnlyList<Job> jobs, int parallelism, Action<Job>? done = null)
    {
        var results = new IReadOnlyList<ValidationRow>[jobs.Count];
        Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, i =>
        {
            results[i] = jobs[i].Run();
            done?.Invoke(jobs[i]);
        });
        return results.SelectMany(r => r).ToList();
    }
}
