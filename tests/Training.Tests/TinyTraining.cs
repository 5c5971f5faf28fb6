using PrunerPipeline.Training.Objectives;
using PrunerPipeline.Training.Samples;

namespace PrunerPipeline.Training.Tests;

/// <summary>
/// The trainer set-up the loop tests share: a few steps of O1-Pruner on 10 problems × 4 samples, small enough that
/// <see cref="TinyPolicy"/> (or a tiny LoRA policy) trains in well under a second, with a checkpoint every 2 steps.
/// </summary>
internal static class TinyTraining
{
    /// <summary>Two epochs of batch 8 over the 40 samples; a test changes what it is about with <c>with { … }</c>.</summary>
    public static readonly TrainerOptions Options = new()
    {
        Epochs = 2,
        BatchSize = 8,
        LearningRate = 5e-2,
        MaxTokensPerMicroBatch = 40,
        CheckpointEverySteps = 2,
        Seed = 11,
    };

    /// <summary>PPO-clip on raw (not standardised) length-harmonizing rewards of the 40 samples.</summary>
    public static O1PrunerRecipe Recipe() =>
        new(RewardPreparation.Prepare(SampleFactory.Set(problems: 10, perProblem: 4), RewardPreparationOptions.Raw),
            new PpoClipObjective(new PpoClipOptions()));
}
