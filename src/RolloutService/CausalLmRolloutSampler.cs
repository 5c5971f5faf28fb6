using PrunerPipeline.Contracts.Samples;

namespace PrunerPipeline.RolloutService;

/// <summary>Samples with the reference model of the folder, loaded once per worker process by <see cref="ReferenceModelCache"/>.</summary>
public sealed class CausalLmRolloutSampler(ReferenceModelCache referenceModels) : IRolloutSampler
{
    public IReadOnlyList<RolloutSample> Sample(
        string modelFolder,
        IReadOnlyList<RolloutPromptSet> problems,
        RolloutSamplingSettings settings,
        Action<RolloutProgress>? progress,
        CancellationToken ct) =>
        RolloutSampler.Sample(referenceModels.Get(modelFolder), problems, settings, progress, ct);
}
