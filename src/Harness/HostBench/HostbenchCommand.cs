using System.CommandLine;
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Perfolizer.Horology;
using Perfolizer.Metrology;

namespace IrqBench.Harness.HostBench;

/// <summary><c>irqbench hostbench [BenchmarkDotNet arguments]</c>: how fast the simulator itself runs, exported as CSV
/// and markdown into results/hostbench/.</summary>
internal static class HostbenchCommand
{
    public static Command Create()
    {
        var cmd = new Command("hostbench", "BenchmarkDotNet over the simulator (arguments go to BenchmarkDotNet; default --filter '*')")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        cmd.SetAction(pr =>
        {
            var args = pr.UnmatchedTokens.ToList();
            // Without --filter BenchmarkDotNet asks interactively, which would hang CI.
            if (!args.Any(a => a is "--filter" or "-f")) args.AddRange(["--filter", "*"]);
            // In-process: BenchmarkDotNet's out-of-process toolchain looks for a project named after the assembly
            // (irqbench), which is IrqBench.Harness.csproj here; in-process also skips a rebuild per run.
            if (!args.Any(a => a is "--inProcess" or "-i")) args.Add("--inProcess");
            var style = new SummaryStyle(CultureInfo.InvariantCulture, printUnitsInHeader: true, sizeUnit: SizeUnit.B,
                timeUnit: TimeUnit.Nanosecond, printUnitsInContent: false);
            // Machine-readable CSV (invariant culture, ns, no units in cells) and GitHub markdown, nothing else.
            var config = ManualConfig.CreateEmpty()
                .AddLogger(ConsoleLogger.Default)
                .AddColumnProvider(DefaultColumnProviders.Instance)
                .WithArtifactsPath(Path.Combine("results", "hostbench"))
                .AddExporter(new CsvExporter(CsvSeparator.Comma, style), MarkdownExporter.GitHub)
                .AddDiagnoser(MemoryDiagnoser.Default)
                .AddColumn(StatisticColumn.Median)
                .WithOptions(ConfigOptions.JoinSummary);
            var summaries = BenchmarkSwitcher.FromAssembly(typeof(HostbenchCommand).Assembly).Run(args.ToArray(), config).ToArray();
            if (summaries.Length == 0 || summaries.Any(s => s.HasCriticalValidationErrors))
            {
                Console.Error.WriteLine("irqbench hostbench: no benchmark ran (check --filter and the other arguments)");
                return 2;
            }
            return summaries.SelectMany(s => s.Reports).Any(r => !r.Success) ? 1 : 0;
        });
        return cmd;
    }
}
