namespace PrunerPipeline.Contracts;

/// <summary>
/// Command (saga → trainer): fine-tune the policy on every scored shard of the run; for an online method, take policy
/// update <see cref="Step"/> on that update's shards.
/// </summary>
public record TrainPolicy
{
    public required string RunId { get; init; }
    /// <summary>The accepted run: method, base model and the training settings.</summary>
    public required StartPruningRun Run { get; init; }
    public required IReadOnlyList<string> RewardsBlobs { get; init; }
    /// <summary>
    /// Online methods: the policy update to take (1-based): from checkpoint step − 1 (the base model for 1) one optimizer
    /// step on <see cref="RewardsBlobs"/>, published as checkpoint <c>step</c>. Null = the whole offline training.
    /// </summary>
    public int? Step { get; init; }
}
