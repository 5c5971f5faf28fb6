namespace PrunerPipeline.Model;

/// <summary>
/// One generated completion: its token ids (including the stop token when it stopped), each token's log-probability
/// under the model's own temperature-1 distribution (what an off-policy ratio needs, not the tempered sampling
/// probability), and why it ended: <c>stop</c> or <c>length</c>.
/// </summary>
public sealed record GeneratedSequence(int[] TokenIds, float[] LogProbs, string FinishReason)
{
    public const string Stop = "stop";
    public const string Length = "length";
}
