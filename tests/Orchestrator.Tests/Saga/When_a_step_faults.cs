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
}
