namespace PrunerPipeline.Contracts;

/// <summary>Command (saga → trainer): fine-tune the policy on every scored shard of the run.</summary>
public record TrainPolicy
{
    public required string RunId { get; init; }
    /// <summary>The accepted run: method, base model and the training settings.</summary>
    public required StartPruningRun Run { get; init; }
    public required IReadOnlyList<string> RewardsBlobs { get; init; }
}
