using IrqBench.Machine.Vcpus;

namespace IrqBench.Workloads.Kernel;

/// <summary>What a writer waits for, and how blocked writers are woken (fs/pipe.c, net/unix/af_unix.c).</summary>
public sealed record BufferKind(string Name, long CapacityBytes, long OverheadPerMessage, long WakeWritersAtOrBelow, bool WakeAllWriters,
    bool WakeAllReaders = false)
{
    /// <summary>A pipe: 16 pages (PIPE_DEF_BUFFERS) of 4 KiB; small writes merge into the last page, so only the
    /// data counts. pipe_read wakes one exclusive writer when it frees a page of a full pipe.</summary>
    public static BufferKind Pipe(long pages = 16) => new("pipe", pages * 4096, 0, pages * 4096 - 4096, WakeAllWriters: false);

    /// <summary>A pipe whose readers wait in poll/pselect (GNU make's jobserver): a write wakes all of them and they
    /// race for the data.</summary>
    public static BufferKind PolledPipe(long pages = 16) => Pipe(pages) with { Name = "polled-pipe", WakeAllReaders = true };

    /// <summary>An AF_UNIX stream socket: every write is an skb charged with its truesize (data plus the sk_buff
    /// and skb_shared_info overhead) to the sender socket's sk_wmem_alloc, limited by sk_sndbuf. Writers sleep in
    /// sock_alloc_send_pskb and are all woken by unix_write_space once usage is down to a quarter of sk_sndbuf
    /// (unix_writable: wmem_alloc &lt;&lt; 2 &lt;= sndbuf).</summary>
    public static BufferKind UnixStream(long sndbuf, long skbOverhead) => new("socket", sndbuf, skbOverhead, sndbuf / 4, WakeAllWriters: true);
}

/// <summary>
/// The data in flight between writers and one reader — a pipe's ring or a socket's receive queue — with the wait
/// queues of blocked readers and writers. Messages are counted, not stored: every message in one buffer has the
/// same size.
/// </summary>
public sealed class MessageBuffer(BufferKind kind, long messageBytes)
{
    public BufferKind Kind { get; } = kind;
    public long MessageBytes { get; } = messageBytes;
    public long Charge { get; } = messageBytes + kind.OverheadPerMessage;
    public long Used { get; private set; }
    public long Messages { get; private set; }
    public WaitQueue Readers { get; } = new();
    public WaitQueue Writers { get; } = new();
    public long WriterBlocks { get; private set; }

    /// <summary>Whether a message fits now (one always fits into an empty buffer).</summary>
    public bool CanWrite => Used == 0 || Used + Charge <= Kind.CapacityBytes;

    /// <summary>The writer found no room: it queues itself on the writers' wait queue; it must then block.</summary>
    public TaskStep BlockWriter(GuestTask writer)
    {
        WriterBlocks++;
        Writers.Add(writer);
        return TaskStep.Block;
    }

    /// <summary>Appends a message (the caller checked <see cref="CanWrite"/> and charged the system call) and wakes
    /// the reader if it sleeps (pipe_write / unix_stream_sendmsg → sk_data_ready). Every wake-up a buffer makes is
    /// synchronous (WF_SYNC): pipe_write and pipe_read use wake_up_interruptible_sync_poll on rd_wait and wr_wait,
    /// sock_def_readable (the reader) and unix_write_space (the writers) too; a poll waiter gets the flag through
    /// pollwake.</summary>
    public void Write(GuestKernel k, Vcpu cpu)
    {
        Used += Charge;
        Messages++;
        if (Readers.Count > 0)
        {
            if (Kind.WakeAllReaders) Readers.WakeAll(k, cpu, sync: true);
            else Readers.WakeOne(k, cpu, sync: true);
        }
        // pipe_write's wake_next_writer: an exclusive waiter that got room passes the wake-up on while room remains.
        if (!Kind.WakeAllWriters && Writers.Count > 0 && CanWrite) Writers.WakeOne(k, cpu, sync: true);
    }

    /// <summary>Data already in the buffer when it is created (the jobserver's tokens).</summary>
    public void Prefill(long messages)
    {
        Messages += messages;
        Used += messages * Charge;
    }

    /// <summary>Takes a message if there is one and wakes writers when enough room was freed; false when empty (the
    /// reader should queue itself on <see cref="Readers"/> and block).</summary>
    public bool TryRead(GuestKernel k, Vcpu cpu)
    {
        if (Messages == 0) return false;
        bool above = Used > Kind.WakeWritersAtOrBelow;
        Messages--;
        Used -= Charge;
        if (above && Used <= Kind.WakeWritersAtOrBelow && Writers.Count > 0)
        {
            if (Kind.WakeAllWriters) Writers.WakeAll(k, cpu, sync: true);
            else Writers.WakeOne(k, cpu, sync: true);
        }
        return true;
    }
}
