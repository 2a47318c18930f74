using System.Diagnostics;
using Spectre.Console;

namespace IrqBench.Harness.Cli;

/// <summary>
/// Progress of a batch of runs: a Spectre.Console bar on a terminal; plain lines when the output is redirected (CI
/// logs), because Spectre's fallback renderer prints only at a few milestones and never 100 % (libs.md §6).
/// </summary>
public static class ProgressDisplay
{
    public static void Run<T>(string title, IReadOnlyList<T> items, Func<T, string> label, Action<T> work, TextWriter plain)
    {
        var clock = Stopwatch.StartNew();
        if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            AnsiConsole.Progress().AutoClear(false).HideCompleted(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(title), maxValue: Math.Max(1, items.Count));
                    foreach (var item in items)
                    {
                        task.Description = Markup.Escape($"{title}: {label(item)}");
                        work(item);
                        task.Increment(1);
                    }
                    task.Description = Markup.Escape(title);
                });
        }
        else
        {
            // About twenty lines whatever the batch size, each naming the run just started.
            int step = Math.Max(1, items.Count / 20);
            for (int i = 0; i < items.Count; i++)
            {
                if (i % step == 0) plain.WriteLine($"{title}: {i + 1}/{items.Count} {label(items[i])}");
                work(items[i]);
            }
        }
        plain.WriteLine($"{title}: {items.Count}/{items.Count} done in {clock.Elapsed.TotalSeconds:F1} s");
    }
}
