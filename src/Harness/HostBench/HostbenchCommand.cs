using System.CommandLine;
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
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
            var style = new SummaryStyle(CultureInfo.InvariantCulture, printUnitsInHeader: true, sizeUnit: SizeUnit.B,
                timeUnit: TimeUnit.Nanosecond, printUnitsInContent: false);
            // Not DefaultConfig: it already holds a CsvExporter with units and thousands separators in the cells, and a
            // second CsvExporter is dropped as a duplicate (libs.md §1). Only the invariant, unit-free CSV and the GitHub
            // markdown are exported, to results/hostbench/results/, with every iteration's measurement
            // (*-measurements.csv), which `irqbench check --host` tests statistically.
            var defaults = DefaultConfig.Instance;
            var config = ManualConfig.CreateEmpty()
                .AddColumnProvider(defaults.GetColumnProviders().ToArray())
                .AddLogger(defaults.GetLoggers().ToArray())
                .AddAnalyser(defaults.GetAnalysers().ToArray())
                .AddValidator(defaults.GetValidators().ToArray())
                .WithArtifactsPath(Path.Combine("results", "hostbench"))
                .AddExporter(new CsvExporter(CsvSeparator.Comma, style))
                .AddExporter(MarkdownExporter.GitHub)
                .AddExporter(CsvMeasurementsExporter.Default)
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
