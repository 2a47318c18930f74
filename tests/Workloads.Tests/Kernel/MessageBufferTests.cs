using IrqBench.Workloads.Kernel;

namespace IrqBench.Workloads.Tests.Kernel;

public class MessageBufferTests
{
    [Fact]
    public void A_blocked_writer_resumes_when_its_reader_drains_the_buffer()
    {
        // A two-page pipe holds two 4 KiB messages; the third write blocks until the reader frees a page.
        var pipe = new MessageBuffer(BufferKind.Pipe(pages: 2), 4096);
        int written = 0, read = 0;
        long firstRead = -1, thirdWrite = -1;
        ScriptedTask writer = null!, reader = null!;
        TaskStep Write(GuestKernel k, Machine.Vcpus.Vcpu cpu)
        {
            if (!pipe.CanWrite) return pipe.BlockWriter(writer);
            pipe.Write(k, cpu);
            if (++written == 3) thirdWrite = cpu.Now;
            return TaskStep.Compute(1000);
        }
        writer = new ScriptedTask("writer", 1, Write, Write, Write, Write);
        TaskStep Read(GuestKernel k, Machine.Vcpus.Vcpu cpu)
        {
            if (!pipe.TryRead(k, cpu)) { pipe.Readers.Add(reader); return TaskStep.Block; }
            if (++read == 1) firstRead = cpu.Now;
            return TaskStep.Compute(1000);
        }
        reader = new ScriptedTask("reader", 2, (_, _) => TaskStep.Compute(TestMachine.Ms(5)), Read, Read, Read, Read);
        var (vm, _) = TestMachine.Kernel(2, (k, cpu) =>
        {
            k.WakeUpNewTask(cpu, writer, pinnedCpu: 0);
            k.WakeUpNewTask(cpu, reader, pinnedCpu: 1);
        });
        vm.Run();

        Assert.Equal(1, pipe.WriterBlocks);
        Assert.Equal(3, written);
        Assert.Equal(3, read);
        Assert.True(thirdWrite > firstRead, $"third write at {thirdWrite}, first read at {firstRead}");
        Assert.Equal(1, writer.Wakeups);
    }
}
