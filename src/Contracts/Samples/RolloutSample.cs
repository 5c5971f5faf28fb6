using System.Text.Json.Serialization;

namespace PrunerPipeline.Contracts.Samples;

/// <summary>
/// One pre-sampled solution y ~ π_ref(·|x): a line of <c>samples/{sampleSetId}/rollouts/shard-{i:D4}.jsonl</c>.
/// Not a message: shards travel through the artifact store and messages carry only the blob name.
/// </summary>
public record RolloutSample
{
    public required string ProblemId { get; init; }
    /// <summary>0 … K−1 within the problem; (ProblemId, SampleIndex) is unique in a sample set.</summary>
    public required int SampleIndex { get; init; }
    /// <summary>The rendered chat prompt the model saw.</summary>
    public required string Prompt { get; init; }
    /// <summary>The decoded completion (stop tokens removed).</summary>
    public required string Text { get; init; }
    public required int[] PromptTokenIds { get; init; }
    /// <summary>The completion's token ids, including a final stop token when <see cref="FinishReason"/> is "stop".</summary>
    public required int[] TokenIds { get; init; }
    /// <summary>log π_ref(y_t | x, y_&lt;t) under the temperature-1 distribution, one per entry of <see cref="TokenIds"/>.</summary>
    public required float[] RefLogProbs { get; init; }
    /// <summary>
    /// Online runs with a KL penalty (<c>klCoefficient</c> &gt; 0): log π_ref(y_t | x, y_&lt;t) under the run's base model, one
    /// per entry of <see cref="TokenIds"/>, teacher-forced after sampling (<see cref="RefLogProbs"/> are then the sampling
    /// policy's). Absent (not written) otherwise.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float[]? KlRefLogProbs { get; init; }
    /// <summary>The target length the prompt asked for (L1's "Think for maximum n tokens."); absent (not written) for a plain prompt.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? LengthTarget { get; init; }
    /// <summary>L(y): the completion's length in tokens.</summary>
    public required int Length { get; init; }
    /// <summary>"stop" (a stop token ended it) or "length" (max new tokens reached).</summary>
    public required string FinishReason { get; init; }
}
