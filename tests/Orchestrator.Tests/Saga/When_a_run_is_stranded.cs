namespace PrunerPipeline.Orchestrator.Tests.Saga;

/// <summary>
/// Commands lost between the saga's save and its publish (an orchestrator crash, a broker drop) or held by a worker that
/// never finishes: the run is re-driven from its saved state, at start-up and at its stage deadline, and Faulted naming
/// what it waited for when re-drives do not help.
/// </summary>
[Collection(nameof(UnreliableServicesCollection))]
public sealed class When_a_run_is_stranded
{
    private static readonly Dictionary<string, string?> ShortDeadlines = new()
    {
        ["Orchestrator:Deadlines:SamplingBaseSeconds"] = "1",
        ["Orchestrator:Deadlines:SamplingMinTokensPerSecond"] = "1000000000",
        ["Orchestrator:Deadlines:MaxRedrives"] = "2",
        ["Orchestrator:Deadlines:CheckIntervalSeconds"] = "0.25",
    };

    [Fact]
    public async Task Commands_lost_before_a_restart_are_issued_again_on_start_up()
    {
        LossyRolloutWorker.Reset([0, 1], lost: 1);
        // Deadlines far away: only the start-up re-drive can recover the run.
        await using var h = await OrchestratorHarness.StartAsync(x =>
        {
            x.AddConsumer<LossyRolloutWorker>();
            x.AddConsumer<FakeRewardScorer>();
            x.AddConsumer<FakeTrainer>();
            x.AddConsumer<FakeEvaluator>();
        });
        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "stranded", SamplesPerProblem = 2, ShardSize = 5 });
        await h.PublishedAsync<RunAccepted>();
        await Task.Delay(500);
        Assert.Equal("Sampling", (await h.StatusAsync("stranded")).State);

        Assert.Equal(1, await h.StalledRuns.CheckAsync(onStartup: true, CancellationToken.None));

        var status = await h.WaitForStateAsync("stranded", "Completed");
        Assert.Equal("Completed", status.State);
        Assert.Equal(2, LossyRolloutWorker.Deliveries[0]);
        Assert.Equal(2, LossyRolloutWorker.Deliveries[1]);
    }

    [Fact]
    public async Task A_shard_held_past_its_deadline_is_issued_again_and_the_late_duplicate_is_ignored()
    {
        // Shard 1's first delivery goes to a worker that never finishes (alive, not progressing).
        LossyRolloutWorker.Reset([1], lost: 1);
        await using var h = await OrchestratorHarness.StartAsync(x =>
        {
            x.AddConsumer<LossyRolloutWorker>();
            x.AddConsumer<FakeRewardScorer>();
            x.AddConsumer<FakeTrainer>();
            x.AddConsumer<FakeEvaluator>();
        }, settings: ShortDeadlines);
        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "hung-shard", SamplesPerProblem = 2, ShardSize = 5 });

        var status = await h.WaitForStateAsync("hung-shard", "Completed");
        Assert.Equal("Completed", status.State);
        Assert.Equal(2, LossyRolloutWorker.Deliveries[1]);
        Assert.Equal(1, LossyRolloutWorker.Deliveries[0]);

        // The hung worker wakes up and reports its shard after all: counted once, nothing issued again.
        var scoresBefore = h.Harness.Published.Select<ScoreRollouts>().Count();
        await h.Harness.Bus.Publish(new RolloutsGenerated
        {
            RunId = "hung-shard", SampleSetId = "late", ShardIndex = 1, RolloutsBlob = "samples/late/rollouts/shard-0001.jsonl",
            Problems = 5, Samples = 10, Tokens = 100, Seconds = 99,
        });
        await Task.Delay(500);
        var after = await h.StatusAsync("hung-shard");
        Assert.Equal("Completed", after.State);
        Assert.Equal(2, after.ShardsScored);
        Assert.Equal(scoresBefore, h.Harness.Published.Select<ScoreRollouts>().Count());
        Assert.Single(h.Harness.Published.Select<RunCompleted>());
    }

    [Fact]
    public async Task A_stage_that_never_progresses_is_faulted_naming_what_it_waited_for()
    {
        LossyRolloutWorker.Reset([1], lost: int.MaxValue);
        await using var h = await OrchestratorHarness.StartAsync(x =>
        {
            x.AddConsumer<LossyRolloutWorker>();
            x.AddConsumer<FakeRewardScorer>();
        }, settings: ShortDeadlines);
        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "never", SamplesPerProblem = 2, ShardSize = 5 });

        var status = await h.WaitForStateAsync("never", "Faulted");
        Assert.Equal("Faulted", status.State);
        var faulted = (await h.PublishedAsync<RunFaulted>());
        Assert.Equal("sampling", faulted.Stage);
        Assert.Equal("sampling: 1 of 2 shards not reported after 2 re-drives", faulted.Reason);
        Assert.Equal(3, LossyRolloutWorker.Deliveries[1]);   // the first command and two re-drives
        Assert.Equal(1, LossyRolloutWorker.Deliveries[0]);   // a reported shard is never asked for again
    }
}

[CollectionDefinition(nameof(UnreliableServicesCollection), DisableParallelization = true)]
public sealed class UnreliableServicesCollection;
