namespace IrqBench.Machine.Simulation;

/// <summary>Something that receives events from the queue. Events carry a kind and a 64-bit argument so that
/// posting one allocates nothing.</summary>
public interface IEventTarget
{
    void OnEvent(int kind, long arg);
}
