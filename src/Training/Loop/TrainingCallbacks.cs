using PrunerPipeline.Training.Checkpoints;

namespace PrunerPipeline.Training.Loop;

/// <summary>Hooks for progress and publishing, called on the training thread.</summary>
public sealed record TrainingCallbacks
{
    public Action<StepMetrics>? StepCompleted { get; init; }

    /// <summary>A checkpoint was committed locally; the flag marks the final one.</summary>
    public Action<TrainingCheckpoint, bool>? CheckpointSaved { get; init; }
}
