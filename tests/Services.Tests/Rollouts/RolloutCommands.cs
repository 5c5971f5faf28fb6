namespace PrunerPipeline.Services.Tests.Rollouts;

/// <summary>The shard command the rollout tests send: gsm8k problems, the test's run and sample set; a test changes the rest with <c>with { … }</c>.</summary>
internal static class RolloutCommands
{
    public static GenerateRollouts Shard(string runId, string sampleSetId, int shard, int shardCount, IReadOnlyList<string> problemIds, string model) => new()
    {
        RunId = runId,
        SampleSetId = sampleSetId,
        ShardIndex = shard,
        ShardCount = shardCount,
        Dataset = "gsm8k",
        ProblemIds = problemIds,
        BaseModel = model,
        SamplesPerProblem = 2,
        MaxNewTokens = 7,
        Temperature = 1.0,
        TopP = 1.0,
        Seed = 42,
    };
}
