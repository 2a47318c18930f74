namespace IrqBench.Harness.Report;

/// <summary>A workload on one profile with one parameter set, as tables and plots group it (its runs differ only in
/// controller, vCPU count and seed). <see cref="Label"/> shows only what distinguishes it from the other cases.</summary>
public sealed record WorkloadCase(string Workload, ProfileInfo Profile, string Params, string WorkUnit, string Label)
{
    public string FileStem => Plots.PlotKit.FileStem(Label);

    public bool Has(Output.RunRow r) => r.Workload == Workload && Profile.Is(r) && r.Params == Params;
}
