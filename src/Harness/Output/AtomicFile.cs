namespace IrqBench.Harness.Output;

/// <summary>Writes a file so that a reader (or a crash) never sees it half-written: to a temporary file beside it,
/// then a rename over the target.</summary>
public static class AtomicFile
{
    public static void Write(string path, Action<string> writeTo)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        System.IO.Directory.CreateDirectory(dir);
        string tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            writeTo(tmp);
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    public static void WriteText(string path, string text) => Write(path, tmp => File.WriteAllText(tmp, text));
}
