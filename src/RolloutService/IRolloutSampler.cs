using PrunerPipeline.Contracts.Samples;

namespace PrunerPipeline.RolloutService;

/// <summary>
/// Samples a shard's K solutions per problem from a model in a local Hugging Face folder. The real one runs TorchSharp
/// (<see cref="CausalLmRolloutSampler"/>); tests substitute a scripted one to exercise the service without a model.
/// </summary>
public interface IRolloutSampler
{
    /// <param name="progress">Called after every batch with where the shard stands.</param>
    IReadOnlyList<RolloutSample> Sample(
        string modelFolder,
        IReadOnlyList<RolloutPromptSet> problems,
        RolloutSamplingSettings settings,
        Action<RolloutProgress>? progress,
        CancellationToken ct);
}
