namespace PrunerPipeline.Orchestrator.Sharding;

/// <summary>How a run's training problems are split into <c>GenerateRollouts</c> shards (stored as runs/{run}/shards.json).</summary>
public sealed record ShardPlan
{
    public required string RunId { get; init; }
    public required string SampleSetId { get; init; }
    public required string Dataset { get; init; }
    /// <summary>Shard i holds <c>Shards[i]</c>, problem ids in sampling order.</summary>
    public required IReadOnlyList<IReadOnlyList<string>> Shards { get; init; }

    public int Problems => Shards.Sum(s => s.Count);
}
