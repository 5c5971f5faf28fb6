using PrunerPipeline.Contracts.Samples;

namespace PrunerPipeline.RolloutService;

/// <summary>Samples with the reference model of the folder, leased for the shard from <see cref="ReferenceModelCache"/>.</summary>
public sealed class CausalLmRolloutSampler(ReferenceModelCache referenceModels) : IRolloutSampler
{
    public IReadOnlyList<RolloutSample> Sample(
        string modelFolder,
        IReadOnlyList<RolloutPromptSet> problems,
        RolloutSamplingSettings settings,
        Action<RolloutProgress>? progress,
        CancellationToken ct)
    {
        using var lease = referenceModels.Get(modelFolder);
        return RolloutSampler.Sample(new ReferenceModel(lease.Model, lease.Tokenizer), problems, settings, progress, ct);
    }
}
