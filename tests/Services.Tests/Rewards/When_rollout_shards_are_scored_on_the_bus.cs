using PrunerPipeline.RewardService;

namespace PrunerPipeline.Services.Tests.Rewards;

/// <summary>The reward service on the bus: ScoreRollouts over hand-made rollout shards in, scored shards and RewardsScored out.</summary>
public sealed class When_rollout_shards_are_scored_on_the_bus
{
    private const string RunId = "reward-run";
    private const string SampleSetId = "reward-set";

    [Fact]
    public async Task Every_shard_is_scored_with_the_commanded_lambda()
    {
        await using var pipeline = await ShardPipelineHarness.StartAsync(rollouts: false, rewards: true);
        var shards = new[] { SharedGold.Gsm8kTrainIds(0, 2), SharedGold.Gsm8kTrainIds(2, 2) };
        for (var shard = 0; shard < shards.Length; shard++)
        {
            await pipeline.Harness.Bus.Publish(await WriteShardAsync(pipeline, shard, shards[shard]) with { Lambda = 5 });
        }

        var scored = await pipeline.PublishedAsync<RewardsScored>(2);

        Assert.Equal([0, 1], scored.Select(s => s.ShardIndex).Order());
        foreach (var summary in scored)
        {
            var samples = await pipeline.ReadShardAsync<ScoredSample>(summary.RewardsBlob);
            Assert.Equal(ArtifactLayout.Rewards(RunId, summary.ShardIndex), summary.RewardsBlob);
            Assert.Equal(4, summary.Samples);
            Assert.Equal(4, samples.Count);
            // Per problem: one right sample of 30 tokens, one wrong of 90 → L̄_ref = 60, Ā_ref = 0.5, λ = 5.
            Assert.All(samples.Where(s => s.SampleIndex == 0), s => Assert.True(s.Correct));
            Assert.All(samples.Where(s => s.SampleIndex == 0), s => Assert.Equal(60.0 / 30 - 1 + 5 * 0.5, s.Reward, 1e-12));
            Assert.All(samples.Where(s => s.SampleIndex == 1), s => Assert.Equal(60.0 / 90 - 1 - 5 * 0.5, s.Reward, 1e-12));
            Assert.Equal(0.5, summary.Accuracy, 1e-12);
            Assert.Equal(60, summary.MeanLength, 1e-12);
        }
    }

    [Fact]
    public async Task A_redelivered_shard_leaves_exactly_one_copy_of_every_sample()
    {
        await using var pipeline = await ShardPipelineHarness.StartAsync(rollouts: false, rewards: true);
        var message = await WriteShardAsync(pipeline, 0, SharedGold.Gsm8kTrainIds(0, 3));

        await pipeline.Harness.Bus.Publish(message);
        await pipeline.Harness.Bus.Publish(message);
        await pipeline.PublishedAsync<RewardsScored>(2);

        Assert.Equal([ArtifactLayout.Rewards(RunId, 0)], await pipeline.ListAsync($"runs/{RunId}/rewards/"));
        var samples = await pipeline.ReadShardAsync<ScoredSample>(ArtifactLayout.Rewards(RunId, 0));
        Assert.Equal(6, samples.Count);
        Assert.Equal(6, samples.Select(s => (s.ProblemId, s.SampleIndex)).Distinct().Count());
    }

    [Fact]
    public async Task A_poison_shard_faults_with_its_reason_and_the_other_shards_are_scored()
    {
        await using var pipeline = await ShardPipelineHarness.StartAsync(rollouts: false, rewards: true);

        var good = await WriteShardAsync(pipeline, 0, SharedGold.Gsm8kTrainIds(0, 2));
        var unknownIds = await WriteShardAsync(pipeline, 1, ["gsm8k-train-9999999"]);
        var corrupt = await WriteShardAsync(pipeline, 2, SharedGold.Gsm8kTrainIds(2, 2));
        var lines = (await pipeline.Store.ReadTextAsync(corrupt.RolloutsBlob, CancellationToken.None))!.Split('\n');
        lines[1] = lines[1][..(lines[1].Length / 2)];  // a torn write: half a JSON object
        await pipeline.Store.WriteTextAsync(corrupt.RolloutsBlob, string.Join('\n', lines), CancellationToken.None);
        var missing = good with { ShardIndex = 3, RolloutsBlob = ArtifactLayout.Rollouts(SampleSetId, 3) };

        foreach (var message in new[] { unknownIds, corrupt, missing, good })
        {
            await pipeline.Harness.Bus.Publish(message);
        }

        var faults = await pipeline.PublishedAsync<Fault<ScoreRollouts>>(3);
        var reasons = faults.ToDictionary(f => f.Message.ShardIndex, f => f.Exceptions[0].Message);
        Assert.Contains("gsm8k-train-9999999", reasons[1]);
        Assert.Contains($"{corrupt.RolloutsBlob} line 2", reasons[2]);
        Assert.Contains("does not exist", reasons[3]);

        var scored = await pipeline.PublishedAsync<RewardsScored>(1);
        Assert.Equal(0, scored.Single().ShardIndex);
        Assert.Equal([ArtifactLayout.Rewards(RunId, 0)], await pipeline.ListAsync($"runs/{RunId}/rewards/"));
    }

    [Fact]
    public async Task A_shard_of_a_later_round_is_scored_against_the_baseline_runs_same_shard_and_no_other_blob_is_read()
    {
        await using var pipeline = await ShardPipelineHarness.StartAsync(rollouts: false, rewards: true);
        var ids = SharedGold.Gsm8kTrainIds(0, 2);
        // The original round's shard 0, scored: per problem L̄_ref = 60, Ā_ref = 0.5 (see WriteShardAsync).
        await pipeline.Harness.Bus.Publish(await WriteShardAsync(pipeline, 0, ids));
        var original = Assert.Single(await pipeline.PublishedAsync<RewardsScored>(1));

        // Round 2 (its own run) wrote its shard 0 where round 1's is, after round 1 was scored; a shorter one would do the same.
        await pipeline.AcceptRunAsync("reward-run.round2");
        var round2 = await WriteShardAsync(pipeline, 0, ids) with { RunId = "reward-run.round2", BaselineRewardsBlob = original.RewardsBlob };
        await pipeline.Harness.Bus.Publish(round2);
        var otherShard = round2 with { ShardIndex = 1, BaselineRewardsBlob = original.RewardsBlob };
        var notRewards = round2 with { BaselineRewardsBlob = $"samples/{SampleSetId}/rollouts/shard-0000.jsonl" };
        await pipeline.Harness.Bus.Publish(otherShard);
        await pipeline.Harness.Bus.Publish(notRewards);

        var scored = (await pipeline.PublishedAsync<RewardsScored>(2)).Single(s => s.RunId == "reward-run.round2");
        var samples = await pipeline.ReadShardAsync<ScoredSample>(scored.RewardsBlob);
        Assert.All(samples, s => Assert.Equal((60.0, 0.5), (s.MeanRefLength, s.MeanRefAccuracy)));
        var faults = await pipeline.PublishedAsync<Fault<ScoreRollouts>>(2);
        Assert.All(faults, f => Assert.Contains("is not a rewards blob of shard", f.Exceptions[0].Message));
    }

    [Fact]
    public async Task An_online_shard_is_scored_against_the_baseline_runs_samples_of_its_problems_whichever_shard_held_them()
    {
        await using var pipeline = await ShardPipelineHarness.StartAsync(rollouts: false, rewards: true);
        var ids = SharedGold.Gsm8kTrainIds(0, 4);
        // The baseline (offline) run scored problems 0-1 in its shard 0 and 2-3 in its shard 1: L̄_ref = 60, Ā_ref = 0.5 each.
        await pipeline.Harness.Bus.Publish(await WriteShardAsync(pipeline, 0, ids.Take(2).ToList()));
        await pipeline.Harness.Bus.Publish(await WriteShardAsync(pipeline, 1, ids.Skip(2).ToList()));
        await pipeline.PublishedAsync<RewardsScored>(2);

        // An online run's shard 6 mixes problems of both baseline shards; another one names a problem the baseline never sampled.
        await pipeline.AcceptRunAsync("online-run");
        var online = await WriteShardAsync(pipeline, 6, [ids[1], ids[2]]) with { RunId = "online-run", BaselineRun = RunId, Step = 4, TotalSteps = 8 };
        await pipeline.Harness.Bus.Publish(online);
        var unseen = await WriteShardAsync(pipeline, 7, [ids[3], SharedGold.Gsm8kTrainIds(10, 1)[0]]) with { RunId = "online-run", BaselineRun = RunId };
        await pipeline.Harness.Bus.Publish(unseen);

        var scored = (await pipeline.PublishedAsync<RewardsScored>(3)).Single(s => s.RunId == "online-run");
        var samples = await pipeline.ReadShardAsync<ScoredSample>(scored.RewardsBlob);
        Assert.Equal(4, samples.Count);
        Assert.All(samples, s => Assert.Equal((60.0, 0.5), (s.MeanRefLength, s.MeanRefAccuracy)));
        var fault = Assert.Single(await pipeline.PublishedAsync<Fault<ScoreRollouts>>(1));
        Assert.Contains("No baseline for problem ids", fault.Exceptions[0].Message);
    }

    [Fact]
    public async Task A_shard_is_scored_with_the_commanded_length_reward_and_an_unknown_one_is_refused_by_name()
    {
        await using var pipeline = await ShardPipelineHarness.StartAsync(rollouts: false, rewards: true);
        var shard = await WriteShardAsync(pipeline, 0, SharedGold.Gsm8kTrainIds(0, 2));

        // thinkprune with a limit of 60 tokens: the right sample (30 tokens) earns 1, the wrong one (90) 0.
        await pipeline.Harness.Bus.Publish(shard with { LengthReward = "thinkprune", LengthTarget = 60 });
        await pipeline.Harness.Bus.Publish(shard with { ShardIndex = 1, LengthReward = "longest" });

        var scored = Assert.Single(await pipeline.PublishedAsync<RewardsScored>(1));
        var samples = await pipeline.ReadShardAsync<ScoredSample>(scored.RewardsBlob);
        Assert.All(samples, s => Assert.Equal(s.SampleIndex == 0 ? 1.0 : 0.0, s.Reward));
        var fault = Assert.Single(await pipeline.PublishedAsync<Fault<ScoreRollouts>>(1));
        Assert.Contains("lengthReward: 'longest' is unknown; allowed: none, kimi, shorterbetter, l1max, thinkprune, rlh", fault.Exceptions[0].Message);
    }

    [Theory]
    [InlineData("never-accepted")]
    [InlineData("nl\n")]
    [InlineData("../../etc")]
    public async Task A_command_for_a_run_the_orchestrator_never_accepted_is_dropped_with_the_reason_and_nothing_is_written(string runId)
    {
        await using var pipeline = await ShardPipelineHarness.StartAsync(rollouts: false, rewards: true);
        var forged = await WriteShardAsync(pipeline, 0, SharedGold.Gsm8kTrainIds(0, 2)) with { RunId = runId };

        await pipeline.Harness.Bus.Publish(forged);

        var fault = (await pipeline.PublishedAsync<Fault<ScoreRollouts>>(1)).Single();
        Assert.Contains("ScoreRollouts dropped", fault.Exceptions[0].Message);
        Assert.Equal(typeof(PrunerPipeline.Hosting.Messaging.UnknownRunException).FullName, fault.Exceptions[0].ExceptionType);
        // Nothing written: the only blob under runs/ is the accepted run's record.
        Assert.Equal([ArtifactLayout.RunSpec(RunId)], await pipeline.ListAsync("runs/"));
    }

    /// <summary>Two samples per problem: sample 0 answers right in 30 tokens, sample 1 wrong in 90.</summary>
    private static async Task<ScoreRollouts> WriteShardAsync(ShardPipelineHarness pipeline, int shard, IReadOnlyList<string> problemIds)
    {
        var samples = problemIds.SelectMany(id =>
        {
            var gold = id.StartsWith("gsm8k-train-9", StringComparison.Ordinal) ? "0" : SharedGold.Gsm8kTrain(id);
            return new[]
            {
                RolloutSamples.Create(id, 0, $"Some steps.\n#### {gold}", 30),
                RolloutSamples.Create(id, 1, $"Other steps.\n#### {gold}1", 90),
            };
        }).ToList();
        var blob = ArtifactLayout.Rollouts(SampleSetId, shard);
        using (var content = new MemoryStream(SampleJsonLines.Serialize(samples)))
        {
            await pipeline.Store.WriteAsync(blob, content, CancellationToken.None);
        }

        await pipeline.AcceptRunAsync(RunId);
        return new ScoreRollouts { RunId = RunId, ShardIndex = shard, RolloutsBlob = blob, Dataset = "gsm8k", Lambda = 2 };
    }
}
