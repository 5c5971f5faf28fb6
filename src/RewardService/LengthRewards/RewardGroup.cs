namespace PrunerPipeline.RewardService.LengthRewards;

/// <summary>
/// One problem's G samples from the current policy, plus the context some rewards need: the reference model's
/// pre-sampled statistics on the problem (<c>rlh</c>), a target length (<c>l1max</c>) and the trainer's step (the
/// <c>thinkprune</c> schedule). Rewards that need a missing piece say so by name.
/// </summary>
public sealed class RewardGroup
{
    public RewardGroup(IReadOnlyList<SampleOutcome> samples, ReferenceBaseline? reference = null, int? targetLength = null, int step = 0)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            throw new ArgumentException("A reward group needs at least one sample", nameof(samples));
        }
        if (samples.FirstOrDefault(s => s.Length < 0) is { Length: < 0 } negative)
        {
            throw new ArgumentOutOfRangeException(nameof(samples), negative.Length, "A sample's Length must be ≥ 0 tokens");
        }
        if (targetLength is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(targetLength), targetLength, "TargetLength must be > 0 tokens");
        }
        if (step < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "Step must be ≥ 0");
        }

        Samples = samples;
        Reference = reference;
        TargetLength = targetLength;
        Step = step;
    }

    public IReadOnlyList<SampleOutcome> Samples { get; }

    /// <summary>L̄_ref(x) and Ā_ref(x) from the reference model's K pre-sampled solutions, when the run has them.</summary>
    public ReferenceBaseline? Reference { get; }

    /// <summary>The problem's target length n_target in tokens (L1's n_gold), when the run sets one per problem.</summary>
    public int? TargetLength { get; }

    /// <summary>The trainer's optimizer step the samples are scored for (0 = before the first update).</summary>
    public int Step { get; }
}
