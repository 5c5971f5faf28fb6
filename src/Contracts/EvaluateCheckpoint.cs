namespace PrunerPipeline.Contracts;

/// <summary>
/// Command (saga → evaluation service): evaluate a checkpoint (or, for a prompt-only method, the base model itself)
/// against the run's reference model; answered by <see cref="EvaluationCompleted"/>.
/// </summary>
public record EvaluateCheckpoint
{
    public required string RunId { get; init; }
    /// <summary>Artifact-store prefix of the checkpoint folder, or the base model reference for a prompt-only method.</summary>
    public required string Checkpoint { get; init; }
    public required int Step { get; init; }
    /// <summary>The last checkpoint of the run: the saga waits for its evaluation.</summary>
    public required bool IsFinal { get; init; }
    /// <summary>The accepted run: method, base model, evaluation sets and decoding limits, and the settings the report lists.</summary>
    public required StartPruningRun Run { get; init; }
}
