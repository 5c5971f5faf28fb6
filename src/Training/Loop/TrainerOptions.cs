using PrunerPipeline.Training.Objectives;

namespace PrunerPipeline.Training.Loop;

/// <summary>Settings of <see cref="PolicyTrainer"/>. Defaults suit the built-in model; the run's <c>StartPruningRun</c> overrides epochs, LR, batch size and seed.</summary>
public sealed record TrainerOptions
{
    public int Epochs { get; init; } = 1;

    /// <summary>Examples (sequences, or pairs for DPO) per optimizer step; split into micro-batches to bound memory.</summary>
    public int BatchSize { get; init; } = 16;

    public double LearningRate { get; init; } = 1e-4;

    /// <summary>Warm-up length as a fraction of all optimizer steps (at least one step when > 0).</summary>
    public double WarmupRatio { get; init; } = 0.1;

    /// <summary>The cosine decays to this fraction of the peak learning rate.</summary>
    public double MinLearningRateRatio { get; init; } = 0.1;

    /// <summary>Decoupled weight decay (AdamW) on matrices; norms and biases are never decayed.</summary>
    public double WeightDecay { get; init; }

    public double Beta1 { get; init; } = 0.9;

    public double Beta2 { get; init; } = 0.999;

    public double AdamEpsilon { get; init; } = 1e-8;

    /// <summary>Clip the global gradient norm to this value; 0 = no clipping.</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Padded tokens (rows × longest row) per micro-batch: bounds activation memory for long sequences.</summary>
    public int MaxTokensPerMicroBatch { get; init; } = 4096;

    public bool FreezeEmbeddings { get; init; }

    /// <summary>Freeze decoder layers 0 … N−1 (the paper froze most of QwQ-32B).</summary>
    public int FreezeFirstLayers { get; init; }

    public int Seed { get; init; } = 1234;

    /// <summary>
    /// Recompute each decoder layer's forward in backward, keeping only layer inputs (see <c>LayerCheckpoint</c>). Null =
    /// decided from the model and the data: on when keeping every layer's activations would take 1 GiB or more
    /// (<see cref="Planning.MemoryPlanner.WantsGradientCheckpointing"/>).
    /// </summary>
    public bool? GradientCheckpointing { get; init; }

    /// <summary>With <see cref="GradientCheckpointing"/> null: the kept-activation estimate from which it is on.</summary>
    public long GradientCheckpointingFromBytes { get; init; } = Planning.MemoryPlanner.GradientCheckpointingFromBytes;

    /// <summary>Also checkpoint every N optimizer steps; 0 = only at the end of each epoch.</summary>
    public int CheckpointEverySteps { get; init; }

    public void Validate()
    {
        Require(Epochs >= 1, nameof(Epochs), Epochs, "≥ 1");
        Require(BatchSize >= 1, nameof(BatchSize), BatchSize, "≥ 1");
        Require(LearningRate > 0, nameof(LearningRate), LearningRate, "> 0");
        Require(WarmupRatio is >= 0 and < 1, nameof(WarmupRatio), WarmupRatio, "in [0, 1)");
        Require(MinLearningRateRatio is >= 0 and <= 1, nameof(MinLearningRateRatio), MinLearningRateRatio, "in [0, 1]");
        Require(WeightDecay >= 0, nameof(WeightDecay), WeightDecay, "≥ 0");
        Require(MaxGradNorm >= 0, nameof(MaxGradNorm), MaxGradNorm, "≥ 0 (0 = off)");
        Require(MaxTokensPerMicroBatch >= 1, nameof(MaxTokensPerMicroBatch), MaxTokensPerMicroBatch, "≥ 1");
        Require(FreezeFirstLayers >= 0, nameof(FreezeFirstLayers), FreezeFirstLayers, "≥ 0");
        Require(CheckpointEverySteps >= 0, nameof(CheckpointEverySteps), CheckpointEverySteps, "≥ 0 (0 = per epoch only)");
    }

    private static void Require(bool ok, string name, object value, string allowed)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be {allowed}");
        }
    }
}
