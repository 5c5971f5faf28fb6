namespace PrunerPipeline.Training.Checkpoints;

/// <summary>
/// <c>trainer_state.json</c> beside the weights of a checkpoint: where training stood and what it needs to continue
/// bit-identically. It is written last, so its presence marks a complete checkpoint. Randomness is a pure function of
/// the seed and the step (data order: a shuffle per epoch seeded by seed and epoch; torch generator reseeded with
/// seed + step before each step), so seed and step are the whole RNG state.
/// </summary>
public sealed record TrainerState
{
    /// <summary>Optimizer steps completed.</summary>
    public required int Step { get; init; }

    public required int TotalSteps { get; init; }

    public required int StepsPerEpoch { get; init; }

    /// <summary>1-based epoch the last completed step belongs to.</summary>
    public required int Epoch { get; init; }

    /// <summary>Epochs completed as a fraction (Hugging Face's <c>epoch</c>).</summary>
    public required double EpochProgress { get; init; }

    public required string Method { get; init; }

    public required int Seed { get; init; }

    public required int Examples { get; init; }

    /// <summary>Hash of the training examples (ids, indices, lengths): a resume on different data is refused.</summary>
    public required string DataFingerprint { get; init; }

    public required string OptimizerFile { get; init; }

    public required long OptimizerStepCount { get; init; }

    public required string DataOrder { get; init; }

    public required string Rng { get; init; }

    public const string FileName = "trainer_state.json";
}
