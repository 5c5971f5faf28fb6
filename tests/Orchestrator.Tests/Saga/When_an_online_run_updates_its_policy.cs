using System.Collections.Concurrent;
using PrunerPipeline.Orchestrator.Sharding;

namespace PrunerPipeline.Orchestrator.Tests.Saga;

/// <summary>
/// GRPO on the bus: each policy update's shards are sampled from the newest policy the staleness bound allows, scored,
/// trained as one TrainPolicy step from the previous version, and only the final version is evaluated. Stale samples
/// are dropped and sampled again; a worker that dies holding a shard loses no group and duplicates none.
/// </summary>
[Collection(nameof(UnreliableServicesCollection))]
public sealed class When_an_online_run_updates_its_policy
{
    private static StartPruningRun Grpo(string runId, int maxStaleness) => new()
    {
        RunId = runId, Method = new PruningMethod("grpo"), TrainingProblems = 10, SamplesPerProblem = 2,
        OnlineSteps = 4, ProblemsPerStep = 4, ShardSize = 2, MaxStaleness = maxStaleness, LengthReward = "kimi",
    };

    private static Task<OrchestratorHarness> StartAsync(Action<IBusRegistrationConfigurator>? worker = null, IReadOnlyDictionary<string, string?>? settings = null) =>
        OrchestratorHarness.StartAsync(x =>
        {
            if (worker is null)
            {
                x.AddConsumer<FakeRolloutWorker>();
            }
            else
            {
                worker(x);
            }
            x.AddConsumer<FakeRewardScorer>();
            x.AddConsumer<FakeTrainer>();
            x.AddConsumer<FakeEvaluator>();
        }, settings: settings);

    [Fact]
    public async Task Strictly_on_policy_each_update_samples_from_the_previous_version_and_trains_once_on_its_own_shards()
    {
        await using var h = await StartAsync();
        await h.Harness.Bus.Publish(Grpo("grpo-sync", maxStaleness: 0));

        Assert.Equal("Completed", (await h.WaitForStateAsync("grpo-sync", "Completed")).State);

        var shards = h.All<GenerateRollouts>(g => g.RunId == "grpo-sync");
        // 4 updates × 2 shards, each sampled once, by version update − 1, into that version's sample set.
        Assert.Equal(Enumerable.Range(0, 8), shards.Select(g => g.ShardIndex).Order());
        Assert.All(shards, g =>
        {
            var version = g.ShardIndex / 2;
            Assert.Equal(version, g.PolicyVersion);
            Assert.Equal(version == 0 ? "builtin" : ArtifactLayout.Checkpoint("grpo-sync", version), g.BaseModel);
            Assert.Equal(ShardPlanner.OnlineSampleSetId("grpo-sync", version), g.SampleSetId);
            Assert.Null(g.KlReferenceModel);
        });
        // The shards of one update never repeat a problem, and every update has ProblemsPerStep of them.
        Assert.All(shards.GroupBy(g => g.ShardIndex / 2), update => Assert.Equal(4, update.SelectMany(g => g.ProblemIds).Distinct().Count()));

        var trained = h.All<TrainPolicy>(t => t.RunId == "grpo-sync");
        Assert.Equal([1, 2, 3, 4], trained.Select(t => t.Step!.Value));
        Assert.All(trained, t => Assert.Equal(
            [ArtifactLayout.Rewards("grpo-sync", 2 * t.Step!.Value - 2), ArtifactLayout.Rewards("grpo-sync", 2 * t.Step!.Value - 1)], t.RewardsBlobs));
        // Scoring knows the update (thinkprune's schedule).
        Assert.All(h.All<ScoreRollouts>(s => s.RunId == "grpo-sync"), s => Assert.Equal((s.ShardIndex / 2 + 1, 4), (s.Step, s.TotalSteps)));

        // Only the final version is evaluated, and the run reports what it sampled.
        var evaluated = Assert.Single(h.All<EvaluateCheckpoint>(e => e.RunId == "grpo-sync"));
        Assert.Equal((ArtifactLayout.Checkpoint("grpo-sync", 4), 4, true), (evaluated.Checkpoint, evaluated.Step, evaluated.IsFinal));
        var completed = Assert.Single(h.All<RunCompleted>(c => c.RunId == "grpo-sync"));
        Assert.Equal((ArtifactLayout.Checkpoint("grpo-sync", 4), 8 * 100L), (completed.FinalCheckpoint, completed.TrainingTokensSampled));
    }

    [Fact]
    public async Task With_a_kl_penalty_every_update_asks_the_workers_for_the_base_models_log_probs()
    {
        await using var h = await StartAsync();
        await h.Harness.Bus.Publish(Grpo("grpo-kl", maxStaleness: 0) with { KlCoefficient = 0.04 });

        Assert.Equal("Completed", (await h.WaitForStateAsync("grpo-kl", "Completed")).State);

        var shards = h.All<GenerateRollouts>(g => g.RunId == "grpo-kl");
        Assert.Equal(8, shards.Count);
        Assert.All(shards, g => Assert.Equal("builtin", g.KlReferenceModel));
        Assert.Contains(shards, g => g.BaseModel != "builtin");
        Assert.All(shards, g => Assert.Null(g.PromptLengthTargets));
    }

    [Fact]
    public async Task Scored_with_l1max_every_update_asks_for_length_targets_around_the_runs_target()
    {
        await using var h = await StartAsync();
        await h.Harness.Bus.Publish(Grpo("grpo-l1", maxStaleness: 0) with { LengthReward = "l1max", LengthTarget = 40, LengthTargetInPrompt = true });

        Assert.Equal("Completed", (await h.WaitForStateAsync("grpo-l1", "Completed")).State);

        var shards = h.All<GenerateRollouts>(g => g.RunId == "grpo-l1");
        Assert.All(shards, g => Assert.Equal(new LengthTargetRange(20, 80), g.PromptLengthTargets));
        // Each update has its own seed, so a problem met again is asked for a new target.
        Assert.Equal(4, shards.Select(g => g.Seed).Distinct().Count());
    }

    [Fact]
    public async Task With_max_staleness_one_the_next_update_is_sampled_while_the_current_one_trains()
    {
        await using var h = await StartAsync();
        await h.Harness.Bus.Publish(Grpo("grpo-async", maxStaleness: 1));

        Assert.Equal("Completed", (await h.WaitForStateAsync("grpo-async", "Completed")).State);

        var shards = h.All<GenerateRollouts>(g => g.RunId == "grpo-async");
        Assert.Equal(Enumerable.Range(0, 8), shards.Select(g => g.ShardIndex).Order());
        // Updates 1 and 2 both come from the base model (update 2 is sampled while update 1 trains); update t from version t − 2.
        Assert.All(shards, g => Assert.Equal(Math.Max(0, g.ShardIndex / 2 - 1), g.PolicyVersion));
        Assert.Equal([1, 2, 3, 4], h.All<TrainPolicy>(t => t.RunId == "grpo-async").Select(t => t.Step!.Value));
    }

    [Fact]
    public async Task A_shard_sampled_by_a_policy_too_old_is_dropped_and_sampled_again_from_the_newest_version()
    {
        StaleOnceRolloutWorker.Reset(shard: 4);
        await using var h = await StartAsync(x => x.AddConsumer<StaleOnceRolloutWorker>());
        await h.Harness.Bus.Publish(Grpo("grpo-stale", maxStaleness: 0));

        Assert.Equal("Completed", (await h.WaitForStateAsync("grpo-stale", "Completed")).State);

        // Shard 4 (update 3) first came back from version 0, two behind what update 3 trains from: sampled again from version 2.
        var shard4 = h.All<GenerateRollouts>(g => g.RunId == "grpo-stale" && g.ShardIndex == 4);
        Assert.Equal([2, 2], shard4.Select(g => g.PolicyVersion));
        var scored = Assert.Single(h.All<ScoreRollouts>(s => s.RunId == "grpo-stale" && s.ShardIndex == 4));
        Assert.Equal(ArtifactLayout.Rollouts(ShardPlanner.OnlineSampleSetId("grpo-stale", 2), 4), scored.RolloutsBlob);
        Assert.Equal([1, 2, 3, 4], h.All<TrainPolicy>(t => t.RunId == "grpo-stale").Select(t => t.Step!.Value));
    }

    [Fact]
    public async Task Samples_from_a_version_nobody_published_or_for_an_update_not_issued_are_ignored()
    {
        await using var h = await StartAsync(x => x.AddConsumer<SilentRolloutWorker>());
        await h.Harness.Bus.Publish(Grpo("grpo-forged", maxStaleness: 0));
        await h.PublishedAsync<RunAccepted>();
        await Task.Delay(300);

        foreach (var (shard, version) in new[] { (0, 3), (6, 0), (0, -1) })
        {
            await h.Harness.Bus.Publish(new RolloutsGenerated
            {
                RunId = "grpo-forged", SampleSetId = ShardPlanner.OnlineSampleSetId("grpo-forged", Math.Max(version, 0)), ShardIndex = shard,
                RolloutsBlob = ArtifactLayout.Rollouts(ShardPlanner.OnlineSampleSetId("grpo-forged", Math.Max(version, 0)), shard),
                Problems = 2, Samples = 4, Tokens = 10, Seconds = 1, PolicyVersion = version,
            });
        }
        await Task.Delay(500);

        // Nothing scored, nothing trained; the version from the future was sampled again from version 0 instead.
        Assert.Empty(h.All<ScoreRollouts>(s => s.RunId == "grpo-forged"));
        Assert.Empty(h.All<TrainPolicy>(s => s.RunId == "grpo-forged"));
        Assert.Equal("Online", (await h.StatusAsync("grpo-forged")).State);
        Assert.All(h.All<GenerateRollouts>(g => g.RunId == "grpo-forged"), g => Assert.Equal(0, g.PolicyVersion));
        Assert.DoesNotContain(h.All<GenerateRollouts>(g => g.RunId == "grpo-forged"), g => g.ShardIndex >= 2);
    }

    [Fact]
    public async Task A_worker_that_dies_holding_a_shard_loses_no_group_and_duplicates_none()
    {
        // Shard 3 (update 2)'s first delivery goes to a worker that never answers; the stage deadline re-issues it.
        LossyRolloutWorker.Reset([3], lost: 1);
        await using var h = await StartAsync(x => x.AddConsumer<LossyRolloutWorker>(), new Dictionary<string, string?>
        {
            ["Orchestrator:Deadlines:SamplingBaseSeconds"] = "1",
            ["Orchestrator:Deadlines:SamplingMinTokensPerSecond"] = "1000000000",
            ["Orchestrator:Deadlines:TrainingSeconds"] = "0.01",
            ["Orchestrator:Deadlines:CheckIntervalSeconds"] = "0.25",
        });
        await h.Harness.Bus.Publish(Grpo("grpo-kill", maxStaleness: 0));

        Assert.Equal("Completed", (await h.WaitForStateAsync("grpo-kill", "Completed")).State);

        Assert.Equal(2, LossyRolloutWorker.Deliveries[3]);
        var trained = h.All<TrainPolicy>(t => t.RunId == "grpo-kill");
        Assert.Equal([1, 2, 3, 4], trained.Select(t => t.Step!.Value));
        // Every update trained on both of its shards, each exactly once.
        Assert.All(trained, t => Assert.Equal(2, t.RewardsBlobs.Distinct().Count()));
        Assert.Equal(8, trained.SelectMany(t => t.RewardsBlobs).Distinct().Count());
        Assert.Equal(8 * 100L, Assert.Single(h.All<RunCompleted>(c => c.RunId == "grpo-kill")).TrainingTokensSampled);
    }
}

/// <summary>Answers one shard's first delivery as if sampled by the base model (version 0), then honestly.</summary>
public sealed class StaleOnceRolloutWorker : IConsumer<GenerateRollouts>
{
    private static readonly ConcurrentDictionary<int, int> Deliveries = new();
    private static int staleShard;

    public static void Reset(int shard)
    {
        Deliveries.Clear();
        staleShard = shard;
    }

    public Task Consume(ConsumeContext<GenerateRollouts> context)
    {
        var m = context.Message;
        if (m.ShardIndex != staleShard || Deliveries.AddOrUpdate(m.ShardIndex, 1, (_, n) => n + 1) > 1)
        {
            return new FakeRolloutWorker().Consume(context);
        }
        var stale = ShardPlanner.OnlineSampleSetId(m.RunId, 0);
        return context.Publish(new RolloutsGenerated
        {
            RunId = m.RunId, SampleSetId = stale, ShardIndex = m.ShardIndex, RolloutsBlob = ArtifactLayout.Rollouts(stale, m.ShardIndex),
            Problems = m.ProblemIds.Count, Samples = m.ProblemIds.Count * m.SamplesPerProblem, Tokens = 100, Seconds = 0.1, PolicyVersion = 0,
        });
    }
}

/// <summary>Takes every shard and never answers.</summary>
public sealed class SilentRolloutWorker : IConsumer<GenerateRollouts>
{
    public Task Consume(ConsumeContext<GenerateRollouts> context) => Task.CompletedTask;
}
