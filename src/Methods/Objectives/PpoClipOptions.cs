using PrunerPipeline.Contracts;
namespace PrunerPipeline.Training.Objectives;

/// <summary>Settings of the O1-Pruner PPO-clip objective (DESIGN.md §1.3).</summary>
public sealed record PpoClipOptions
{
    /// <summary>ε: the ratio is clipped to [1−ε, 1+ε].</summary>
    public double ClipEpsilon { get; init; } = 0.2;

    /// <summary>ε_high: the upper clip bound is 1 + ε_high (DAPO's clip-higher, arXiv 2503.14476); null = <see cref="ClipEpsilon"/>.</summary>
    public double? ClipEpsilonHigh { get; init; }

    /// <summary>The upper clip bound's ε (ε_high when set, else ε).</summary>
    public double UpperEpsilon => ClipEpsilonHigh ?? ClipEpsilon;

    public RatioGranularity Granularity { get; init; } = RatioGranularity.Token;

    public LossAggregation Aggregation { get; init; } = LossAggregation.SequenceMean;

    /// <summary>Standardise the advantages over each optimizer step's batch (Â − mean) / std.</summary>
    public bool NormaliseAdvantagesPerBatch { get; init; } = true;

    /// <summary>Weight of the per-token KL penalty (k3 estimator, see <see cref="KlPenalty"/>); 0 = off.</summary>
    public double KlCoefficient { get; init; }

    /// <summary>What the KL penalty holds the policy to: the sampling policy (O1-Pruner, whose sampler is the reference) or the recorded base model (GRPO).</summary>
    public KlPenalty KlPenalty { get; init; } = KlPenalty.SamplingPolicy;

    /// <summary>Weight of the entropy bonus (importance-weighted estimate on the reference samples); 0 = off.</summary>
    public double EntropyCoefficient { get; init; }

    public void Validate()
    {
        if (!(ClipEpsilon > 0 && ClipEpsilon < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ClipEpsilon), ClipEpsilon, "ClipEpsilon must lie in (0, 1)");
        }
        if (ClipEpsilonHigh is { } high && !(high > 0 && high < 10))
        {
            throw new ArgumentOutOfRangeException(nameof(ClipEpsilonHigh), high, "ClipEpsilonHigh must lie in (0, 10)");
        }
        if (KlCoefficient < 0 || EntropyCoefficient < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(KlCoefficient), "KlCoefficient and EntropyCoefficient must be ≥ 0");
        }
    }
}
