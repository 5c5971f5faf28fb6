using TorchSharp;
using static TorchSharp.torch;

namespace PrunerPipeline.Training.Objectives;

/// <summary>
/// Per-sequence pieces of the PPO-clip loss for one micro-batch, so a step split into micro-batches can be
/// aggregated exactly as if it were one batch (<see cref="LossAggregation"/>).
/// </summary>
/// <param name="SequenceLoss">(B) the loss of each sequence, averaged over its tokens.</param>
/// <param name="TokenLossSum">(B) the loss of each sequence summed over its tokens.</param>
/// <param name="TokenCount">(B) completion tokens per sequence.</param>
/// <param name="Clipped">How many ratios (tokens, or sequences for the sequence ratio) sat on the closed side of the clip.</param>
/// <param name="RatioCount">How many ratios there were.</param>
/// <param name="KlSum">Sum over tokens of the k3 estimate of the penalty's KL (to the sampling policy, or to the recorded reference: <see cref="KlPenalty"/>), for monitoring.</param>
public sealed record PpoClipTerms(Tensor SequenceLoss, Tensor TokenLossSum, Tensor TokenCount, long Clipped, long RatioCount, double KlSum) : IDisposable
{
    /// <summary>The loss contribution of these sequences to a step holding <paramref name="stepSequences"/> sequences and <paramref name="stepTokens"/> tokens.</summary>
    public Tensor Aggregate(LossAggregation aggregation, long stepSequences, long stepTokens) => aggregation switch
    {
        LossAggregation.SequenceMean => SequenceLoss.sum() / stepSequences,
        LossAggregation.TokenMean => TokenLossSum.sum() / stepTokens,
        _ => throw new ArgumentOutOfRangeException(nameof(aggregation), aggregation, "allowed: SequenceMean, TokenMean"),
    };

    public void Dispose()
    {
        SequenceLoss.Dispose();
        TokenLossSum.Dispose();
        TokenCount.Dispose();
    }
}
