namespace PrunerPipeline.Training.Planning;

/// <summary>The expected peak of every service, and of all of them in one process (embedded mode), against the device's memory.</summary>
public sealed record MemoryPlan(PlanInputs Inputs, long Parameters, long TrainableParameters, IReadOnlyList<ServicePlan> Services, ServicePlan Embedded)
{
    public bool Fits(ServicePlan service) => service.Peak <= Inputs.MemoryBytes;
}
