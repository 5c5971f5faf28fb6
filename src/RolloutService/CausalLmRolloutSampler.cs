using PrunerPipeline.Contracts.Samples;

namespace PrunerPipeline.RolloutService;

/// <summary>
/// Samples with the reference model of the folder, leased for the shard from <see cref="ReferenceModelCache"/>; when the
/// settings name a KL reference, then records its log-probs of every sample (a second lease, after the first is returned).
/// </summary>
public sealed class CausalLmRolloutSampler(ReferenceModelCache referenceModels) : IRolloutSampler
{
    public IReadOnlyList<RolloutSample> Sample(
        string modelFolder,
        IReadOnlyList<RolloutPromptSet> problems,
        RolloutSamplingSettings settings,
        Action<RolloutProgress>? progress,
        CancellationToken ct)
    {
        IReadOnlyList<RolloutSample> samples;
        using (var lease = referenceModels.Get(modelFolder))
        {
            samples = RolloutSampler.Sample(new ReferenceModel(lease.Model, lease.Tokenizer), problems, settings, progress, ct);
        }
        if (settings.KlReferenceFolder is not { } klFolder)
        {
            return samples;
        }
        if (Path.GetFullPath(klFolder) == Path.GetFullPath(modelFolder))
        {
            // Policy version 0 is the reference itself: its sampling log-probs are the KL reference's.
            return samples.Select(s => s with { KlRefLogProbs = s.RefLogProbs }).ToList();
        }
        using var klLease = referenceModels.Get(klFolder);
        return RolloutSampler.RecordKlReference(klLease.Model, samples, settings.BatchSize, ct);
    }
}
