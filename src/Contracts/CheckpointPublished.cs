namespace PrunerPipeline.Contracts;

/// <summary>Event: a Hugging Face-layout checkpoint is committed to the artifact store.</summary>
public record CheckpointPublished
{
    public required string RunId { get; init; }
    /// <summary>Artifact-store prefix of the checkpoint folder (runs/{run}/checkpoints/step-{n}).</summary>
    public required string Checkpoint { get; init; }
    public required int Step { get; init; }
    public required int Epoch { get; init; }
    /// <summary>The last checkpoint of the run: the saga waits for its evaluation.</summary>
    public required bool IsFinal { get; init; }
}
