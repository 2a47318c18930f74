using IrqBench.Workloads.Kernel;
using IrqBench.Workloads.Parameters;

namespace IrqBench.Workloads.Hackbench;

/// <summary>hackbench's command line (costs.md §3.1; rt-tests hackbench.c, perf bench sched messaging) and the
/// kernel buffer sizes that decide when a writer blocks.</summary>
public sealed record HackbenchConfig(int Groups, int Fds, int Loops, int DataSize, bool UsePipes, bool UseThreads,
    long SocketSndbuf, long SkbOverhead, int PipePages, double UserJitter)
{
    public static readonly IReadOnlyList<ParameterSpec> Specs =
    [
        ParameterSpec.Int("groups", 10, 1, 1000, "groups of fds senders and fds receivers (hackbench -g)"),
        ParameterSpec.Int("fds", 20, 1, 1000, "senders and receivers per group (hackbench -f)"),
        ParameterSpec.Int("loops", 100, 1, 1_000_000, "messages each sender writes to each receiver (hackbench -l)"),
        ParameterSpec.Int("datasize", 100, 1, 65536, "bytes per message (hackbench -s)"),
        ParameterSpec.Choice("transport", "socket", ["socket", "pipe"], "AF_UNIX stream socketpairs, or pipes (hackbench -p)"),
        ParameterSpec.Choice("tasks", "process", ["process", "thread"], "fork processes, or create threads (hackbench -T)"),
        ParameterSpec.Int("socket_sndbuf", 212_992, 4096, 16 << 20, "sk_sndbuf of the writing socket in bytes (net.core.wmem_default)"),
        ParameterSpec.Int("skb_overhead", 576, 0, 8192, "truesize overhead per message skb: SKB_DATA_ALIGN(sizeof(sk_buff)) + SKB_DATA_ALIGN(sizeof(skb_shared_info)) = 256 + 320 on arm64"),
        ParameterSpec.Int("pipe_pages", 16, 1, 1024, "pipe buffer pages (PIPE_DEF_BUFFERS; F_SETPIPE_SZ changes it)"),
        ParameterSpec.Real("user_jitter", 0.2, 0, 2, "log-normal spread (sigma) of the user-space work between two syscalls: cache and branch effects; it makes seeds differ (0: none)"),
        .. KernelConfig.Specs,
    ];

    public static HackbenchConfig From(WorkloadParameters p) => new(
        p.GetInt("groups"), p.GetInt("fds"), p.GetInt("loops"), p.GetInt("datasize"),
        p.GetString("transport") == "pipe", p.GetString("tasks") == "thread",
        p.GetLong("socket_sndbuf"), p.GetLong("skb_overhead"), p.GetInt("pipe_pages"), p.GetDouble("user_jitter"));

    public int Tasks => Groups * Fds * 2;
    public long Messages => (long)Groups * Fds * Fds * Loops;

    public BufferKind Buffer => UsePipes ? BufferKind.Pipe(PipePages) : BufferKind.UnixStream(SocketSndbuf, SkbOverhead);
}
