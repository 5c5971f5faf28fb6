namespace PrunerPipeline.Training.Planning;

/// <summary>One service's expected peak, split by what holds the memory (bytes).</summary>
public sealed record ServicePlan(
    string Service,
    long Runtime,
    long Weights,
    long Gradients,
    long Optimizer,
    long Activations,
    long KvCache,
    long EngineBuffers,
    string Notes)
{
    public long Peak => Runtime + Weights + Gradients + Optimizer + Activations + KvCache + EngineBuffers;
}
