namespace PrunerPipeline.Orchestrator.Tests.Saga;

public sealed class When_a_run_goes_through_every_stage
{
    [Fact]
    public async Task Shards_are_sampled_scored_trained_and_evaluated_and_the_run_completes()
    {
        await using var h = await OrchestratorHarness.StartAsync(x =>
        {
            x.AddConsumer<FakeRolloutWorker>();
            x.AddConsumer<FakeRewardScorer>();
            x.AddConsumer<FakeTrainer>();
            x.AddConsumer<FakeEvaluator>();
        });

        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "full-run", SamplesPerProblem = 2, TrainingProblems = 10, ShardSize = 4 });

        var status = await h.WaitForStateAsync("full-run", "Completed");
        Assert.Equal("Completed", status.State);
        Assert.Equal(3, status.ShardsTotal);
        Assert.Equal(3, status.ShardsSampled);
        Assert.Equal(3, status.ShardsScored);
        Assert.Equal(2, status.CheckpointsPublished);
        Assert.Equal("runs/full-run/eval/step-000002/report.json", status.ReportBlob);

        var accepted = Assert.Single(h.Harness.Published.Select<RunAccepted>()).Context.Message;
        Assert.Equal(3, accepted.Shards);
        Assert.Equal(10, accepted.Problems);
        Assert.Equal("runs/full-run/run.json", accepted.RunSpecBlob);

        var shards = h.Harness.Published.Select<GenerateRollouts>().Select(m => m.Context.Message).OrderBy(m => m.ShardIndex).ToList();
        Assert.Equal([0, 1, 2], shards.Select(s => s.ShardIndex));
        Assert.Equal([4, 4, 2], shards.Select(s => s.ProblemIds.Count));
        Assert.Equal(10, shards.SelectMany(s => s.ProblemIds).Distinct().Count());
        Assert.Single(shards.Select(s => s.SampleSetId).Distinct());
        Assert.All(shards, s => Assert.Equal(2, s.SamplesPerProblem));

        // The saga commands the scoring of each sampled shard with the run's λ and dataset (the reward service reads no run.json).
        var scores = h.Harness.Published.Select<ScoreRollouts>().Select(m => m.Context.Message).OrderBy(m => m.ShardIndex).ToList();
        Assert.Equal([0, 1, 2], scores.Select(s => s.ShardIndex));
        Assert.All(scores, s => Assert.Equal((2.0, "synthetic"), (s.Lambda, s.Dataset)));

        var train = Assert.Single(h.Harness.Published.Select<TrainPolicy>()).Context.Message;
        Assert.Equal(["runs/full-run/rewards/shard-0000.jsonl", "runs/full-run/rewards/shard-0001.jsonl", "runs/full-run/rewards/shard-0002.jsonl"], train.RewardsBlobs);
        Assert.Equal(2, train.Run.SamplesPerProblem);

        // Each checkpoint is commanded for evaluation, carrying the run's settings.
        var evaluations = h.Harness.Published.Select<EvaluateCheckpoint>().Select(m => m.Context.Message).OrderBy(m => m.Step).ToList();
        Assert.Equal([(1, false), (2, true)], evaluations.Select(e => (e.Step, e.IsFinal)));
        Assert.All(evaluations, e => Assert.Equal("full-run", e.Run.RunId));

        var completed = Assert.Single(h.Harness.Published.Select<RunCompleted>()).Context.Message;
        Assert.Equal(0.6, completed.Aes);
        Assert.Equal(0.8, completed.Accuracy);
        Assert.False(h.Harness.Published.Select<RunFaulted>().Any());

        var stored = await h.Store.ReadJsonAsync<StartPruningRun>("runs/full-run/run.json", CancellationToken.None);
        Assert.Equal(2, stored!.SamplesPerProblem);
    }

    [Fact]
    public async Task A_fast_prompt_run_skips_sampling_and_training_and_evaluates_the_base_model()
    {
        await using var h = await OrchestratorHarness.StartAsync(x => x.AddConsumer<FakeEvaluator>());

        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "fast", Method = PruningMethod.FastPrompt });

        var status = await h.WaitForStateAsync("fast", "Completed");
        Assert.Equal("Completed", status.State);
        // The saga commands an evaluation of the base model; nobody pretends a checkpoint was published.
        var evaluation = Assert.Single(h.Harness.Published.Select<EvaluateCheckpoint>()).Context.Message;
        Assert.Equal(("builtin", 0, true), (evaluation.Checkpoint, evaluation.Step, evaluation.IsFinal));
        Assert.Equal(PruningMethod.FastPrompt, evaluation.Run.Method);
        Assert.False(h.Harness.Published.Select<CheckpointPublished>().Any());
        Assert.False(h.Harness.Published.Select<ScoreRollouts>().Any());
        Assert.False(h.Harness.Published.Select<GenerateRollouts>().Any());
        Assert.False(h.Harness.Published.Select<TrainPolicy>().Any());
        await h.PublishedAsync<RunCompleted>();
        Assert.Equal(0, h.Harness.Published.Select<RunAccepted>().Single().Context.Message.Shards);
        Assert.False(await h.Store.ExistsAsync("runs/fast/shards.json", CancellationToken.None));
    }

    [Fact]
    public async Task A_redelivered_start_duplicate_and_stray_shard_events_do_not_sample_or_count_twice()
    {
        await using var h = await OrchestratorHarness.StartAsync(x => x.AddConsumer<FakeRolloutWorker>());
        var start = new StartPruningRun { RunId = "dup", SamplesPerProblem = 2, TrainingProblems = 10, ShardSize = 5 };

        await h.Harness.Bus.Publish(start);
        await h.WaitForStateAsync("dup", "Scoring");
        await h.Harness.Bus.Publish(start);
        await h.Harness.Bus.Publish(new RolloutsGenerated { RunId = "dup", SampleSetId = "x", ShardIndex = 1, RolloutsBlob = "b", Problems = 5, Samples = 10, Tokens = 1, Seconds = 1 });
        await h.Harness.Bus.Publish(new RewardsScored { RunId = "dup", ShardIndex = 7, RewardsBlob = "stray", Samples = 1, Accuracy = 1, MeanLength = 1, RewardMean = 0, RewardStd = 0 });
        await h.Harness.InactivityTask;

        Assert.Equal(2, h.Harness.Published.Select<RunAccepted>().Count());
        Assert.Equal(2, h.Harness.Published.Select<GenerateRollouts>().Count());
        var status = await h.StatusAsync("dup");
        Assert.Equal("Scoring", status.State);
        Assert.Equal(2, status.ShardsSampled);
        Assert.Equal(0, status.ShardsScored);
        // Scoring is commanded for each sampled shard until it is scored: the redelivered shard 1 is offered again.
        Assert.Equal([0, 1, 1], h.Harness.Published.Select<ScoreRollouts>().Select(m => m.Context.Message.ShardIndex).Order());
    }

    [Fact]
    public async Task The_status_of_a_run_nobody_started_is_unknown()
    {
        await using var h = await OrchestratorHarness.StartAsync(_ => { });

        var status = await h.StatusAsync("never-started");

        Assert.Equal("Unknown", status.State);
        Assert.Equal("never-started", status.RunId);
    }
}
