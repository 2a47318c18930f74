using System.Diagnostics;
using Spectre.Console;

namespace IrqBench.Harness.Cli;

/// <summary>
/// Runs a batch of independent items on up to <c>jobs</c> threads and returns their results in the batch's order,
/// whatever order they finish in: every run is single-threaded and deterministic, so the output is the same bytes for
/// any job count. Progress is a Spectre.Console bar on a terminal; plain lines when the output is redirected (CI
/// logs), because Spectre's fallback renderer prints only at a few milestones and never 100 %. Plain
/// lines are printed in the batch's order too, so a log reads the same for any job count.
/// </summary>
public static class ProgressDisplay
{
    public static IReadOnlyList<TResult> Run<T, TResult>(string title, IReadOnlyList<T> items, Func<T, string> label, Func<T, TResult> work,
        TextWriter plain, int jobs = 1)
    {
        var clock = Stopwatch.StartNew();
        var results = new TResult[items.Count];
        if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            AnsiConsole.Progress().AutoClear(false).HideCompleted(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(title), maxValue: Math.Max(1, items.Count));
                    RunAll(items, jobs, work, results, i =>
                    {
                        task.Description = Markup.Escape($"{title}: {label(items[i])}");
                        task.Increment(1);
                    });
                    task.Description = Markup.Escape(title);
                });
        }
        else
        {
            // About twenty lines whatever the batch size, each naming a run, in the batch's order.
            int step = Math.Max(1, items.Count / 20), printed = 0;
            var finished = new bool[items.Count];
            RunAll(items, jobs, work, results, i =>
            {
                finished[i] = true;
                for (; printed < items.Count && finished[printed]; printed++)
                    if (printed % step == 0) plain.WriteLine($"{title}: {printed + 1}/{items.Count} {label(items[printed])}");
            });
        }
        plain.WriteLine($"{title}: {items.Count}/{items.Count} done in {clock.Elapsed.TotalSeconds:F1} s");
        return results;
    }

    /// <summary>Each thread takes the next item in order; <paramref name="done"/> is called under a lock. The first
    /// failure (in the batch's order, so the same one for any job count) is rethrown as it was.</summary>
    private static void RunAll<T, TResult>(IReadOnlyList<T> items, int jobs, Func<T, TResult> work, TResult[] results, Action<int> done)
    {
        if (jobs < 1) throw new ArgumentOutOfRangeException(nameof(jobs), jobs, "at least one job");
        int next = -1;
        var gate = new object();
        var failures = new Exception?[items.Count];
        bool failed = false;
        void Worker()
        {
            for (int i; !Volatile.Read(ref failed) && (i = Interlocked.Increment(ref next)) < items.Count;)
            {
                try { results[i] = work(items[i]); }
                catch (Exception e)
                {
                    failures[i] = e;
                    Volatile.Write(ref failed, true);
                    continue;
                }
                lock (gate) done(i);
            }
        }
        var threads = Enumerable.Range(0, Math.Min(jobs, Math.Max(1, items.Count)) - 1).Select(_ => new Thread(Worker, maxStackSize: 8 << 20) { IsBackground = true }).ToList();
        foreach (var t in threads) t.Start();
        Worker();
        foreach (var t in threads) t.Join();
        if (failures.FirstOrDefault(f => f is not null) is { } first)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
    }
}
