namespace PrunerPipeline.Contracts;

/// <summary>Command: fine-tune the policy on every scored shard of the run.</summary>
public record TrainPolicy
{
    public required string RunId { get; init; }
    public required PruningMethod Method { get; init; }
    public required string RunSpecBlob { get; init; }
    public required IReadOnlyList<string> RewardsBlobs { get; init; }
}
