using PrunerPipeline.Training.Checkpoints;

namespace PrunerPipeline.Training.Loop;

/// <summary>What a (possibly resumed) training run produced.</summary>
/// <param name="Metrics">Every step's metrics, including those restored from the checkpoint resumed from.</param>
/// <param name="Final">The checkpoint after the last step.</param>
/// <param name="StepsRun">Optimizer steps run by this call (0 when the run was already complete).</param>
public sealed record TrainingResult(IReadOnlyList<StepMetrics> Metrics, TrainingCheckpoint Final, int StepsRun);
