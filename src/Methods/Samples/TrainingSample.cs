namespace PrunerPipeline.Training.Samples;

/// <summary>
/// One scored reference sample as the trainer sees it: the prompt and completion token ids, the reference log-probs
/// recorded at sampling time (log π_ref(y_t | x, y_&lt;t), one per completion token), its grade and its raw R_LH reward.
/// The trainer library knows nothing of shards or messages; the trainer service maps shard lines onto this record.
/// </summary>
/// <param name="KlRefLogProbs">
/// Online runs with a KL penalty: log π_ref(y_t | ·) under the base model (then <paramref name="RefLogProbs"/> are the
/// sampling policy's); null otherwise.
/// </param>
public sealed record TrainingSample(
    string ProblemId,
    int SampleIndex,
    int[] PromptTokenIds,
    int[] TokenIds,
    float[] RefLogProbs,
    bool Correct,
    double Reward,
    int Length,
    float[]? KlRefLogProbs = null)
{
    /// <summary>The base model's recorded log-probs, for a KL penalty to it; a sample without them is refused by name.</summary>
    public float[] RequireKlRefLogProbs() => KlRefLogProbs ?? throw new InvalidDataException(
        $"Sample {ProblemId}#{SampleIndex} has no klRefLogProbs; the run's KL penalty to the base model needs them (recorded by the rollout workers when klCoefficient > 0)");

    /// <summary>Checks the invariants the losses rely on, naming the sample and the field that breaks them.</summary>
    public void Validate()
    {
        if (TokenIds.Length == 0)
        {
            throw new InvalidDataException($"Sample {ProblemId}#{SampleIndex} has no completion tokens (tokenIds is empty)");
        }
        if (RefLogProbs.Length != TokenIds.Length)
        {
            throw new InvalidDataException($"Sample {ProblemId}#{SampleIndex} has {RefLogProbs.Length} refLogProbs for {TokenIds.Length} tokenIds; they must match one to one");
        }
        if (KlRefLogProbs is not null && KlRefLogProbs.Length != TokenIds.Length)
        {
            throw new InvalidDataException($"Sample {ProblemId}#{SampleIndex} has {KlRefLogProbs.Length} klRefLogProbs for {TokenIds.Length} tokenIds; they must match one to one");
        }
        if (PromptTokenIds.Length == 0)
        {
            throw new InvalidDataException($"Sample {ProblemId}#{SampleIndex} has an empty prompt (promptTokenIds is empty)");
        }
    }
}
