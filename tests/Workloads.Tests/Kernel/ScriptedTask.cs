using IrqBench.Machine.Vcpus;
using IrqBench.Workloads.Kernel;

namespace IrqBench.Workloads.Tests.Kernel;

/// <summary>A task whose steps are given as a list of functions: each returns the step the task takes.</summary>
internal sealed class ScriptedTask(string name, int mm, params Func<GuestKernel, Vcpu, TaskStep>[] steps) : GuestTask(name, mm)
{
    private int next;

    public List<(int Cpu, long Time)> Ran { get; } = [];

    protected internal override TaskStep Run(GuestKernel k, Vcpu cpu)
    {
        Ran.Add((cpu.Id.Value, cpu.Now));
        return next < steps.Length ? steps[next++](k, cpu) : TaskStep.Exit;
    }
}
