using System.Runtime.InteropServices;
using System.Text;

namespace IrqBench.Harness.Output;

/// <summary>Input files as the harness reads them: regular files only (a device such as /dev/zero or a FIFO named as
/// an input would never end), text files at most a given size; every problem an <see cref="InputException"/> naming the
/// file.</summary>
public static class InputFile
{
    /// <summary>The largest JSON input (a sweep spec, thresholds): far beyond any hand-written file.</summary>
    public const int MaxJsonBytes = 16 << 20;

    public static void CheckRegular(string path)
    {
        if (!IsRegular(path)) throw new InputException($"{path}: not a regular file (a device, FIFO or socket): not an input IrqBench reads");
    }

    /// <summary>The file's text, refused beyond <paramref name="maxBytes"/> or when it is not UTF-8.</summary>
    public static string ReadText(string path, int maxBytes)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: file not found");
        CheckRegular(path);
        try
        {
            using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var buffer = new byte[Math.Min(maxBytes + 1L, Math.Max(s.Length + 1, 4096))];
            int n = 0;
            for (int r; n < buffer.Length && (r = s.Read(buffer, n, buffer.Length - n)) > 0;) n += r;
            if (n > maxBytes) throw new InputException($"{path}: larger than {maxBytes >> 20} MiB: not an input IrqBench reads");
            return new UTF8Encoding(false, true).GetString(buffer, 0, n);
        }
        catch (DecoderFallbackException) { throw new InputException($"{path}: not UTF-8 text"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InputException($"{path}: cannot read it: {e.Message}");
        }
    }

    [DllImport("libc", SetLastError = true, EntryPoint = "statx")]
    private static extern int Statx(int dirFd, string path, int flags, uint mask, byte[] buffer);

    /// <summary>Whether a path (links followed) is a regular file or a folder, from statx(2)'s stx_mode, whose layout
    /// is the same on every architecture; true where the call is not there to ask.</summary>
    private static bool IsRegular(string path)
    {
        if (!OperatingSystem.IsLinux()) return true;
        var buffer = new byte[256];
        try
        {
            if (Statx(-100, path, 0, 1 /* STATX_TYPE */, buffer) != 0) return true; // a missing file is reported where it is opened
        }
        catch (EntryPointNotFoundException) { return true; }
        catch (DllNotFoundException) { return true; }
        int type = BitConverter.ToUInt16(buffer, 28) & 0xF000;
        return type is 0x8000 or 0x4000; // S_IFREG, S_IFDIR
    }
}
