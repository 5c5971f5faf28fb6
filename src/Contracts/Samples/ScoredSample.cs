using System.Diagnostics.CodeAnalysis;

namespace PrunerPipeline.Contracts.Samples;

/// <summary>
/// A rollout with its grade and Length-Harmonizing reward: a line of <c>runs/{run}/rewards/shard-{i:D4}.jsonl</c>.
/// </summary>
public record ScoredSample : RolloutSample
{
    public ScoredSample()
    {
    }

    /// <summary>
    /// The rollout's every field (through the record's copy constructor: a field added to <see cref="RolloutSample"/>
    /// is carried without touching this) with its grade and reward.
    /// </summary>
    [SetsRequiredMembers]
    public ScoredSample(RolloutSample rollout, bool correct, string extracted, double meanRefLength, double meanRefAccuracy, double reward)
        : base(rollout)
    {
        Correct = correct;
        Extracted = extracted;
        MeanRefLength = meanRefLength;
        MeanRefAccuracy = meanRefAccuracy;
        Reward = reward;
    }

    /// <summary>A(x, y): the final answer matches the gold answer.</summary>
    public required bool Correct { get; init; }
    /// <summary>The final answer read from <see cref="RolloutSample.Text"/>.</summary>
    public required string Extracted { get; init; }
    /// <summary>L̄_ref(x): mean length of the problem's K reference samples.</summary>
    public required double MeanRefLength { get; init; }
    /// <summary>Ā_ref(x): mean accuracy of the problem's K reference samples.</summary>
    public required double MeanRefAccuracy { get; init; }
    /// <summary>R_LH(x, y) = L̄_ref(x)/L(y) − 1 + λ·(A(x, y) − Ā_ref(x)), unclipped and unnormalised.</summary>
    public required double Reward { get; init; }
}
