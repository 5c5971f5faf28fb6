namespace PrunerPipeline.Orchestrator.Sharding;

/// <summary>How a run's training problems are split into <c>GenerateRollouts</c> shards (stored as runs/{run}/shards.json).</summary>
public sealed record ShardPlan
{
    public required string RunId { get; init; }
    public required string SampleSetId { get; init; }
    public required string Dataset { get; init; }
    /// <summary>Shard i holds <c>Shards[i]</c>, problem ids in sampling order.</summary>
    public required IReadOnlyList<IReadOnlyList<string>> Shards { get; init; }

    /// <summary>
    /// Online methods: shards per policy update (update t's shards are (t−1)·ShardsPerStep … t·ShardsPerStep − 1, each
    /// sampled from the policy of its time); 0 = one offline pre-sampling of every shard.
    /// </summary>
    public int ShardsPerStep { get; init; }

    /// <summary>Distinct training problems (an online plan visits each problem once per epoch).</summary>
    public int Problems => Shards.SelectMany(s => s).Distinct().Count();
}
