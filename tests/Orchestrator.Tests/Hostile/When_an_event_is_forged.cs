namespace PrunerPipeline.Orchestrator.Tests.Hostile;

/// <summary>Events the saga did not ask for are ignored with a log line: they never move the run or reach a service.</summary>
public sealed class When_an_event_is_forged
{
    [Theory]
    [InlineData("runs/training-run/checkpoints/step-000999", 999)]   // a step nobody trained ("from the future"): not in the store
    [InlineData("/home/x/private", 1)]                                // a local path instead of the run's checkpoint
    [InlineData("runs/other-run/checkpoints/step-000001", 1)]         // another run's checkpoint
    [InlineData("runs/training-run/checkpoints/step-000000", 0)]      // step 0 is the base model, never a checkpoint
    public async Task A_checkpoint_that_is_not_the_runs_own_stored_one_is_ignored(string checkpoint, int step)
    {
        await using var h = await OrchestratorHarness.StartAsync(x =>
        {
            x.AddConsumer<FakeRolloutWorker>();
            x.AddConsumer<FakeRewardScorer>();
            x.AddConsumer<SilentTrainer>();
            x.AddConsumer<FakeEvaluator>();
        });
        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "training-run", SamplesPerProblem = 2, ShardSize = 5 });
        Assert.Equal("Training", (await h.WaitForStateAsync("training-run", "Training")).State);
        // Another run's checkpoint exists, so only the name can tell it apart.
        await h.Store.WriteTextAsync(ArtifactLayout.CheckpointState("runs/other-run/checkpoints/step-000001"), "{}", CancellationToken.None);

        await h.Harness.Bus.Publish(new CheckpointPublished { RunId = "training-run", Checkpoint = checkpoint, Step = step, Epoch = 1, IsFinal = true });
        await Task.Delay(500);

        var status = await h.StatusAsync("training-run");
        Assert.Equal("Training", status.State);
        Assert.Equal(0, status.CheckpointsPublished);
        Assert.False(h.Harness.Published.Select<EvaluateCheckpoint>().Any());
    }

    [Fact]
    public async Task The_runs_own_stored_checkpoint_is_evaluated()
    {
        await using var h = await OrchestratorHarness.StartAsync(x =>
        {
            x.AddConsumer<FakeRolloutWorker>();
            x.AddConsumer<FakeRewardScorer>();
            x.AddConsumer<SilentTrainer>();
            x.AddConsumer<FakeEvaluator>();
        });
        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "own-checkpoint", SamplesPerProblem = 2, ShardSize = 5 });
        Assert.Equal("Training", (await h.WaitForStateAsync("own-checkpoint", "Training")).State);
        var checkpoint = ArtifactLayout.Checkpoint("own-checkpoint", 3);
        await h.Store.WriteTextAsync(ArtifactLayout.CheckpointState(checkpoint), "{}", CancellationToken.None);

        await h.Harness.Bus.Publish(new CheckpointPublished { RunId = "own-checkpoint", Checkpoint = checkpoint, Step = 3, Epoch = 1, IsFinal = true });

        Assert.Equal("Completed", (await h.WaitForStateAsync("own-checkpoint", "Completed")).State);
    }
}
