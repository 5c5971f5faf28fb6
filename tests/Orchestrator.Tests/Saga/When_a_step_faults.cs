namespace PrunerPipeline.Orchestrator.Tests.Saga;

public sealed class When_a_step_faults
{
    [Fact]
    public async Task A_failing_trainer_faults_the_run_with_the_stage_and_the_reason()
    {
        await using var h = await OrchestratorHarness.StartAsync(x =>
        {
            x.AddConsumer<FakeRolloutWorker>();
            x.AddConsumer<FakeRewardScorer>();
            x.AddConsumer<FailingTrainer>();
            x.AddConsumer<FakeEvaluator>();
        });

        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "will-fault", SamplesPerProblem = 2, ShardSize = 5 });

        var status = await h.WaitForStateAsync("will-fault", "Faulted");
        Assert.Equal("Faulted", status.State);
        var faulted = Assert.Single(h.Harness.Published.Select<RunFaulted>()).Context.Message;
        Assert.Equal("training", faulted.Stage);
        Assert.Contains(FailingTrainer.Failure, faulted.Reason);
        Assert.Contains("TrainPolicy", faulted.Reason);
        Assert.False(h.Harness.Published.Select<RunCompleted>().Any());
    }

    [Fact]
    public async Task A_forged_command_naming_the_run_with_a_hostile_model_faults_only_itself_and_the_run_goes_on()
    {
        await using var h = await OrchestratorHarness.StartAsync(x =>
        {
            x.AddConsumer<SilentRolloutWorker>();
            x.AddConsumer<GuardedEvaluator>();
        });
        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "targeted", SamplesPerProblem = 2, ShardSize = 5 });
        await h.PublishedAsync<RunAccepted>();

        // A forged evaluation of /etc for the live run: its consumer rejects it, and the fault comes back to the saga.
        await h.Harness.Bus.Publish(new EvaluateCheckpoint { RunId = "targeted", Checkpoint = "/etc", Step = 1, IsFinal = true, Run = new StartPruningRun { RunId = "targeted" } });
        await h.PublishedAsync<Fault<EvaluateCheckpoint>>();
        await Task.Delay(300);

        Assert.Equal("Sampling", (await h.StatusAsync("targeted")).State);
        Assert.Empty(h.All<RunFaulted>());
    }
}

/// <summary>An evaluator that refuses any model but the built-in one and the runs' checkpoints, as the real one refuses paths outside its roots.</summary>
public sealed class GuardedEvaluator : IConsumer<EvaluateCheckpoint>
{
    public Task Consume(ConsumeContext<EvaluateCheckpoint> context) =>
        context.Message.Checkpoint is "builtin" || context.Message.Checkpoint.StartsWith("runs/", StringComparison.Ordinal)
            ? new FakeEvaluator().Consume(context)
            : throw new ArgumentException($"EvaluateCheckpoint dropped: '{context.Message.Checkpoint}' is not an allowed model");
}
