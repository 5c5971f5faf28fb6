namespace PrunerPipeline.Orchestrator.Runs;

/// <summary>Blob names the orchestrator owns (docs/ARCHITECTURE.md, "Layout").</summary>
public static class RunBlobs
{
    /// <summary>The accepted <c>StartPruningRun</c>; written last on acceptance, so its presence means the run exists.</summary>
    public static string RunSpec(string runId) => $"runs/{runId}/run.json";

    /// <summary>The <see cref="Sharding.ShardPlan"/>: which training problems each shard holds.</summary>
    public static string ShardPlan(string runId) => $"runs/{runId}/shards.json";

    public static string Rollouts(string sampleSetId, int shard) => $"samples/{sampleSetId}/rollouts/shard-{shard:D4}.jsonl";
}
