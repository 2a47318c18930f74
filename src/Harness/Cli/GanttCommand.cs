using System.CommandLine;
using System.Globalization;
using IrqBench.Harness.Inspect;
using IrqBench.Harness.Output;

namespace IrqBench.Harness.Cli;

/// <summary><c>irqbench gantt --trace A.json [--trace B.json]... --out FILE.png [--from US]... [--span US] [--title T]...</c>:
/// traces written by <c>run --trace</c> drawn as Gantt charts one above the other (<see cref="GanttPlot"/>), from the
/// traces' own data — what ui.perfetto.dev would show of them, for a document or a machine without a browser.</summary>
internal static class GanttCommand
{
    /// <summary>The trace's times are read in ns, so a sub-µs slice keeps its width.</summary>
    private const double UnitsPerUs = 1000;

    public static Command Create()
    {
        var traces = new Option<List<string>>("--trace") { Description = "a trace from 'irqbench run --trace' (repeatable, 1 to 4: drawn one above the other)", HelpName = "FILE", Required = true };
        var from = new Option<List<double>>("--from") { Description = "where each chart starts, in simulated µs (one per trace, or one for all; default: each trace's first slice)", HelpName = "US" };
        var span = new Option<double>("--span") { Description = "how many µs each chart shows", DefaultValueFactory = _ => 20, HelpName = "US" };
        var titles = new Option<List<string>>("--title") { Description = "each chart's title (one per trace; default: the file name)", HelpName = "TEXT" };
        var outFile = new Option<string>("--out") { Description = "the PNG to write", HelpName = "FILE.png", Required = true };
        var cmd = new Command("gantt", "draw traces from 'run --trace' as Gantt charts of the vCPUs, one above the other, into a PNG")
            { traces, from, span, titles, outFile };
        cmd.SetAction(pr =>
        {
            var files = pr.GetValue(traces)!;
            if (files.Count is < 1 or > 4) throw new InputException($"--trace: give 1 to 4 traces, not {files.Count}");
            var starts = pr.GetValue(from) ?? [];
            var names = pr.GetValue(titles) ?? [];
            double s = pr.GetValue(span);
            if (!(s > 0 && s <= 1e6)) throw new InputException($"--span {s.ToString(CultureInfo.InvariantCulture)}: a span in µs from more than 0 to 1e6");
            if (starts.Count > 1 && starts.Count != files.Count) throw new InputException($"--from: give one start for all traces or one per trace ({files.Count}), not {starts.Count}");
            if (starts.Any(x => !(x >= 0 && x <= 1e12))) throw new InputException("--from: a start in µs from 0 to 1e12");
            if (names.Count > 0 && names.Count != files.Count) throw new InputException($"--title: give one title per trace ({files.Count}), not {names.Count}");
            string png = pr.GetValue(outFile)!;
            if (!png.EndsWith(".png", StringComparison.OrdinalIgnoreCase)) throw new InputException($"--out {png}: the chart is a PNG; give a .png file name");
            TraceWindow.CheckWritable(png);

            var charts = new List<(RecordedTrace, long, string)>();
            for (int i = 0; i < files.Count; i++)
            {
                var trace = TraceFileReader.Read(files[i], UnitsPerUs);
                if (trace.Slices.Count == 0) throw new InputException($"{files[i]}: holds no slices (was its --trace-window outside the run?)");
                long origin = starts.Count == 0 ? trace.Slices.Min(x => x.Start) : (long)Math.Round(starts[starts.Count == 1 ? 0 : i] * UnitsPerUs);
                long end = origin + (long)Math.Round(s * UnitsPerUs);
                var shown = new RecordedTrace(origin, end);
                foreach (var x in trace.Slices.Where(x => x.End > origin && x.Start < end)) shown.Slices.Add(x with { Start = Math.Max(x.Start, origin), End = Math.Min(x.End, end) });
                shown.Flows.AddRange(trace.Flows.Where(f => f.From >= origin && f.To <= end));
                if (shown.Slices.Count == 0) throw new InputException($"{files[i]}: nothing between {origin / UnitsPerUs} and {end / UnitsPerUs} µs");
                charts.Add((shown, origin, names.Count > 0 ? names[i] : Path.GetFileName(files[i])));
            }
            GanttPlot.SaveStack(png, charts, UnitsPerUs, s);
            Console.WriteLine($"wrote {png} ({Plural.Of(charts.Count, "chart")} of {s.ToString(CultureInfo.InvariantCulture)} µs)");
            return 0;
        });
        return cmd;
    }
}
