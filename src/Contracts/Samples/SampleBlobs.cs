namespace PrunerPipeline.Contracts.Samples;

/// <summary>The deterministic blob names of rollout and reward shards (docs/ARCHITECTURE.md "Layout"), so a redelivery rewrites the same blob.</summary>
public static class SampleBlobs
{
    public static string RunSpec(string runId) => $"runs/{runId}/run.json";

    public static string Rollouts(string sampleSetId, int shardIndex) => $"samples/{sampleSetId}/rollouts/shard-{shardIndex:D4}.jsonl";

    public static string Rewards(string runId, int shardIndex) => $"runs/{runId}/rewards/shard-{shardIndex:D4}.jsonl";
}
