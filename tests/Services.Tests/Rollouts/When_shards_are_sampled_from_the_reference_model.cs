namespace PrunerPipeline.Services.Tests.Rollouts;

/// <summary>
/// The rollout and reward services together on the bus, sampling from a tiny random-weight model:
/// shards are sampled, stored, announced and scored; redelivery and poison shards behave.
/// </summary>
public sealed class When_shards_are_sampled_from_the_reference_model
{
    private const string RunId = "rollout-run";
    private const string SampleSetId = "rollout-set";
    private const int SamplesPerProblem = 3;
    private const int MaxNewTokens = 6;

    [Fact]
    public async Task Every_shard_of_a_run_is_sampled_and_scored()
    {
        await using var pipeline = await ShardPipelineHarness.StartAsync(rollouts: true, rewards: true);
        await pipeline.AcceptRunAsync(RunId);
        var shards = Enumerable.Range(0, 3).Select(shard => Command(shard, SharedGold.Gsm8kTrainIds(shard * 2, 2))).ToList();

        foreach (var command in shards)
        {
            await pipeline.Harness.Bus.Publish(command);
        }

        var generated = await pipeline.PublishedAsync<RolloutsGenerated>(3);
        // What the run saga does on each RolloutsGenerated.
        foreach (var shard in generated)
        {
            await pipeline.Harness.Bus.Publish(new ScoreRollouts { RunId = RunId, ShardIndex = shard.ShardIndex, RolloutsBlob = shard.RolloutsBlob, Dataset = "gsm8k", Lambda = 2 });
        }
        var scored = await pipeline.PublishedAsync<RewardsScored>(3);

        Assert.Equal([0, 1, 2], generated.Select(g => g.ShardIndex).Order());
        Assert.Equal([0, 1, 2], scored.Select(s => s.ShardIndex).Order());
        foreach (var command in shards)
        {
            var announced = generated.Single(g => g.ShardIndex == command.ShardIndex);
            var samples = await pipeline.ReadShardAsync<RolloutSample>(ArtifactLayout.Rollouts(SampleSetId, command.ShardIndex));
            Assert.Equal(announced.RolloutsBlob, ArtifactLayout.Rollouts(SampleSetId, command.ShardIndex));
            Assert.Equal(
                command.ProblemIds.SelectMany(id => Enumerable.Range(0, SamplesPerProblem).Select(k => $"{id}#{k}")).Order(),
                samples.Select(s => $"{s.ProblemId}#{s.SampleIndex}").Order());
            Assert.Equal(samples.Sum(s => (long)s.Length), announced.Tokens);
            Assert.All(samples, sample =>
            {
                Assert.InRange(sample.Length, 1, MaxNewTokens);
                Assert.Equal(sample.Length, sample.TokenIds.Length);
                Assert.Equal(sample.Length, sample.RefLogProbs.Length);
                Assert.All(sample.RefLogProbs, logProb => Assert.True(logProb <= 0 && float.IsFinite(logProb)));
                Assert.NotEmpty(sample.PromptTokenIds);
                Assert.Contains(sample.FinishReason, new[] { FinishReasons.Stop, FinishReasons.Length });
                if (sample.FinishReason == FinishReasons.Length)
                {
                    Assert.Equal(MaxNewTokens, sample.Length);
                }
                // A real model (a local folder, not "builtin") is prompted with the reasoning system prompt.
                Assert.Contains("put your final answer within \\boxed{}", sample.Prompt);
            });
            var rewards = await pipeline.ReadShardAsync<ScoredSample>(ArtifactLayout.Rewards(RunId, command.ShardIndex));
            Assert.Equal(samples.Count, rewards.Count);
        }

        var progress = await pipeline.PublishedAsync<StageProgress>(3, p => p.Done == p.Total);
        Assert.All(progress, p => Assert.Equal(("sampling", 2L * SamplesPerProblem), (p.Stage, p.Total)));
    }

    [Fact]
    public async Task A_redelivered_shard_is_re_announced_without_sampling_again()
    {
        await using var pipeline = await ShardPipelineHarness.StartAsync(rollouts: true, rewards: false);
        await pipeline.AcceptRunAsync(RunId);
        var command = Command(0, SharedGold.Gsm8kTrainIds(0, 2));
        var blobPath = Path.Combine(pipeline.StoreRoot, ArtifactLayout.Rollouts(SampleSetId, 0));

        await pipeline.Harness.Bus.Publish(command);
        var first = (await pipeline.PublishedAsync<RolloutsGenerated>(1)).Single();
        var firstContent = await File.ReadAllBytesAsync(blobPath);
        var firstWrite = File.GetLastWriteTimeUtc(blobPath);

        await pipeline.Harness.Bus.Publish(command);
        var second = (await pipeline.PublishedAsync<RolloutsGenerated>(2))[1];

        Assert.Equal(firstContent, await File.ReadAllBytesAsync(blobPath));
        Assert.Equal(firstWrite, File.GetLastWriteTimeUtc(blobPath));
        Assert.Equal((first.RolloutsBlob, first.Samples, first.Tokens), (second.RolloutsBlob, second.Samples, second.Tokens));
        Assert.Equal(0, second.Seconds);
        var samples = await pipeline.ReadShardAsync<RolloutSample>(first.RolloutsBlob);
        Assert.Equal(samples.Count, samples.Select(s => (s.ProblemId, s.SampleIndex)).Distinct().Count());
        Assert.Equal([ArtifactLayout.Rollouts(SampleSetId, 0)], await pipeline.ListAsync($"samples/{SampleSetId}/"));
    }

    [Fact]
    public async Task An_incomplete_shard_blob_is_sampled_again()
    {
        await using var pipeline = await ShardPipelineHarness.StartAsync(rollouts: true, rewards: false);
        await pipeline.AcceptRunAsync(RunId);
        var command = Command(0, SharedGold.Gsm8kTrainIds(0, 2));
        var blob = ArtifactLayout.Rollouts(SampleSetId, 0);
        // Left over from a run with another K: one sample per problem instead of three.
        using (var partial = new MemoryStream(SampleJsonLines.Serialize(command.ProblemIds.Select(id => RolloutSamples.Create(id, 0, "x", 1)))))
        {
            await pipeline.Store.WriteAsync(blob, partial, CancellationToken.None);
        }

        await pipeline.Harness.Bus.Publish(command);
        var generated = (await pipeline.PublishedAsync<RolloutsGenerated>(1)).Single();

        Assert.Equal(2 * SamplesPerProblem, generated.Samples);
        Assert.Equal(2 * SamplesPerProblem, (await pipeline.ReadShardAsync<RolloutSample>(blob)).Count);
    }

    [Fact]
    public async Task A_shard_with_unknown_problem_ids_faults_with_their_names_and_the_other_shards_complete()
    {
        await using var pipeline = await ShardPipelineHarness.StartAsync(rollouts: true, rewards: false);
        await pipeline.AcceptRunAsync(RunId);
        var poison = Command(0, ["gsm8k-train-0000", "no-such-problem-17"]);
        var healthy = Command(1, SharedGold.Gsm8kTrainIds(2, 1));

        await pipeline.Harness.Bus.Publish(poison);
        await pipeline.Harness.Bus.Publish(healthy);

        var fault = (await pipeline.PublishedAsync<Fault<GenerateRollouts>>(1)).Single();
        Assert.Equal(0, fault.Message.ShardIndex);
        Assert.Contains("no-such-problem-17", fault.Exceptions[0].Message);
        var generated = (await pipeline.PublishedAsync<RolloutsGenerated>(1)).Single();
        Assert.Equal(1, generated.ShardIndex);
        Assert.False(await pipeline.Store.ExistsAsync(ArtifactLayout.Rollouts(SampleSetId, 0), CancellationToken.None));
    }

    private static GenerateRollouts Command(int shard, IReadOnlyList<string> problemIds) =>
        RolloutCommands.Shard(RunId, SampleSetId, shard, shardCount: 3, problemIds, TinyReferenceModel.Folder)
            with { SamplesPerProblem = SamplesPerProblem, MaxNewTokens = MaxNewTokens };
}
