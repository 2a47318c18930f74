namespace IrqBench.Harness.Output;

/// <summary>Checks, before any work, that an output folder can be created and written, so that a bad <c>--out</c>
/// is a clear error up front rather than a crash after the runs.</summary>
public static class OutputFolder
{
    public static void CheckWritable(string dir)
    {
        if (string.IsNullOrWhiteSpace(dir)) throw new InputException("--out: the output folder name is empty");
        try
        {
            System.IO.Directory.CreateDirectory(dir);
            string probe = Path.Combine(dir, $".irqbench-write-test.{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InputException($"--out {dir}: cannot write there: {e.Message}");
        }
    }
}
