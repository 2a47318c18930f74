using System.Globalization;
using IrqBench.Machine.Contracts;
using IrqBench.Workloads.Parameters;

namespace IrqBench.Workloads.Trace;

/// <summary>
/// Reads the trace CSV (docs/trace-format.md): a header <c>time_ns,cpu,kind,source,target,id</c>, then one event per
/// line; '#' lines and blank lines are ignored. Every problem is a <see cref="ParameterException"/> naming the file,
/// the line and what is wrong.
/// </summary>
public static class TraceReader
{
    public const string Header = "time_ns,cpu,kind,source,target,id";

    /// <summary>The latest time a row may have: 10¹² ns (1000 s, longer than any perf recording), 10¹³ cycles at the
    /// fastest profile clock (10 GHz). Times near 2⁶³ ns would overflow the cycle count (ns × GHz).</summary>
    public const long MaxTimeNs = 1_000_000_000_000;

    public static List<TraceEvent> Parse(string text, string file)
    {
        var events = new List<TraceEvent>();
        bool sawHeader = false;
        long last = 0;
        int lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            string line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            if (!sawHeader)
            {
                if (!string.Equals(line.Replace(" ", ""), Header, StringComparison.Ordinal))
                    throw Fail(file, lineNo, $"expected the header '{Header}', found '{Shown(line)}'");
                sawHeader = true;
                continue;
            }
            var f = line.Split(',');
            if (f.Length != 6) throw Fail(file, lineNo, $"expected 6 fields ({Header}), found {f.Length}");
            long t = Long(f[0], "time_ns", file, lineNo);
            if (t > MaxTimeNs) throw Fail(file, lineNo, $"time_ns {t} is beyond {MaxTimeNs} ns (1000 s): not a trace time");
            if (t < last) throw Fail(file, lineNo, $"time_ns {t} is earlier than the previous row's {last}: rows must be in time order");
            last = t;
            int cpu = Cpu(f[1], "cpu", file, lineNo);
            string kind = f[2].Trim();
            string id = f[5].Trim();
            switch (kind)
            {
                case "ipi":
                {
                    int src = Cpu(f[3], "source", file, lineNo), dst = Cpu(f[4], "target", file, lineNo);
                    if (src != cpu) throw Fail(file, lineNo, $"an ipi is recorded on its sender: cpu {cpu} differs from source {src}");
                    if (src == dst) throw Fail(file, lineNo, $"an ipi from vCPU {src} to itself (Linux never sends one)");
                    var ipi = id switch
                    {
                        "" or "resched" => IpiKind.Reschedule,
                        "call" => IpiKind.CallFunction,
                        "irq_work" => IpiKind.IrqWork,
                        _ => throw Fail(file, lineNo, $"unknown ipi id '{Shown(id)}' (allowed: resched, call, irq_work, or empty for resched)"),
                    };
                    events.Add(new TraceEvent(t, cpu, TraceKind.Ipi, src, dst, ipi, "", lineNo));
                    break;
                }
                case "timer":
                {
                    NoSource(f, kind, file, lineNo);
                    if (id.Length > 0) throw Fail(file, lineNo, $"a timer row has an empty id, found '{Shown(id)}'");
                    int dst = Cpu(f[4], "target", file, lineNo);
                    if (dst != cpu) throw Fail(file, lineNo, $"a timer interrupt is recorded on its vCPU: cpu {cpu} differs from target {dst}");
                    events.Add(new TraceEvent(t, cpu, TraceKind.Timer, -1, dst, default, "", lineNo));
                    break;
                }
                case "device":
                {
                    NoSource(f, kind, file, lineNo);
                    int dst = Cpu(f[4], "target", file, lineNo);
                    if (id.Length == 0) throw Fail(file, lineNo, "a device row needs the device id in the id column");
                    events.Add(new TraceEvent(t, cpu, TraceKind.Device, -1, dst, default, id, lineNo));
                    break;
                }
                default:
                    throw Fail(file, lineNo, $"unknown kind '{Shown(kind)}' (allowed: ipi, timer, device)");
            }
        }
        if (!sawHeader) throw Fail(file, lineNo, $"no header line '{Header}'");
        if (events.Count == 0) throw Fail(file, lineNo, "the trace has no events");
        return events;
    }

    private static long Long(string s, string col, string file, int line) =>
        long.TryParse(s.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long v)
            ? v : throw Fail(file, line, $"{col} '{Shown(s.Trim())}' is not a non-negative integer");

    private static int Cpu(string s, string col, string file, int line)
    {
        long v = Long(s, col, file, line);
        return v <= 4095 ? (int)v : throw Fail(file, line, $"{col} {v} is not a vCPU number (0 to 4095)");
    }

    /// <summary>Only an IPI has a source: the format leaves it empty for timer and device rows.</summary>
    private static void NoSource(string[] f, string kind, string file, int line)
    {
        if (f[3].Trim().Length > 0) throw Fail(file, line, $"a {kind} row has an empty source (only an ipi has a sender), found '{Shown(f[3].Trim())}'");
    }

    /// <summary>A field or line as an error message shows it: control characters and other unprintable ones (a binary
    /// file's bytes) escaped, so that nothing reaches the terminal raw, and at most 60 characters.</summary>
    public static string Shown(string text)
    {
        var sb = new System.Text.StringBuilder();
        foreach (char c in text.Length > 60 ? text[..60] : text)
        {
            if (char.IsControl(c) || char.IsSurrogate(c) || c == '\uFFFD' || char.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned)
                sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
            else sb.Append(c);
        }
        if (text.Length > 60) sb.Append('…');
        return sb.ToString();
    }

    private static ParameterException Fail(string file, int line, string problem) =>
        new($"trace {file} line {line}: {problem}");
}
