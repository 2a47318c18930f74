using IrqBench.Machine.Contracts;
using IrqBench.Workloads;
using IrqBench.Workloads.MicroBench;
using IrqBench.Workloads.Parameters;
using IrqBench.Workloads.Trace;

namespace IrqBench.Harness.Suite;

/// <summary>What a workload would otherwise find only once its run starts: a micro-benchmark test the controller does
/// not have, a trace file that is missing, malformed or names more vCPUs than the VM has. Checked before anything runs
/// or is written (run, sweep specs).</summary>
public static class ScenarioCheck
{
    /// <summary>Null when the scenario can start; otherwise the reason, naming the parameter.</summary>
    public static string? Problem(ControllerKit kit, IWorkload w, WorkloadParameters p, int vcpus)
    {
        if (w is MicroBenchWorkload)
        {
            string test = p.GetString("test");
            var tests = MicroBenchRunner.TestsFor(kit);
            return tests.Any(t => t.Name == test) ? null
                : $"workload microbench: test={test} does not exist for controller {kit.Name} (available: {string.Join(", ", tests.Select(t => t.Name))})";
        }
        if (w is TraceWorkload)
        {
            string file = p.GetString("file");
            try
            {
                // A device or FIFO named as the trace would never end.
                if (file != TraceWorkload.ExampleName && File.Exists(file)) Output.InputFile.CheckRegular(file);
                TraceWorkload.Load(file, vcpus);
            }
            catch (InputException e) { return $"trace {e.Message}"; }
            catch (ParameterException e) { return e.Message; }
        }
        return null;
    }
}
