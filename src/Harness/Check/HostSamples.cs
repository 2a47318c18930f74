using CsvHelper;

namespace IrqBench.Harness.Check;

/// <summary>Host timings from BenchmarkDotNet's <c>*-measurements.csv</c> (written by <c>irqbench hostbench</c>): per
/// benchmark (target and parameters), the ns per operation of every actual workload iteration.</summary>
public static class HostSamples
{
    public static Dictionary<string, List<double>> Load(string file)
    {
        if (!File.Exists(file)) throw new InputException($"{file}: file not found");
        var samples = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        try
        {
            using var r = CsvReader.FromFile(file, new CsvReaderOptions { Separator = ',' });
            r.ReadHeader();
            foreach (var col in new[] { "Target", "Params", "Measurement_IterationMode", "Measurement_IterationStage", "Measurement_Value" })
                if (!r.Headers.Contains(col)) throw new InputException($"{file}: column {col} missing: not a BenchmarkDotNet measurements CSV");
            int row = 1;
            while (r.Read())
            {
                row++;
                // "Result" rows are the actual iterations with the overhead already subtracted, per operation.
                if (r.GetString("Measurement_IterationMode") != "Workload" || r.GetString("Measurement_IterationStage") != "Result") continue;
                string key = $"{r.GetString("Target")} {r.GetString("Params")}".Trim();
                if (!double.TryParse(r.GetString("Measurement_Value"), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double ns))
                    throw new InputException($"{file}: row {row}: Measurement_Value '{r.GetString("Measurement_Value")}' is not a number");
                (samples.TryGetValue(key, out var l) ? l : samples[key] = []).Add(ns);
            }
        }
        catch (CsvFormatException e) { throw new InputException($"{file}: not a valid CSV: {e.Message}"); }
        return samples.Count > 0 ? samples : throw new InputException($"{file}: no workload result measurements");
    }
}
