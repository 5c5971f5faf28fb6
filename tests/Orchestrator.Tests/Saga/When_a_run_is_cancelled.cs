namespace PrunerPipeline.Orchestrator.Tests.Saga;

public sealed class When_a_run_is_cancelled
{
    [Fact]
    public async Task A_sampling_run_stops_and_later_results_are_ignored()
    {
        // No rollout worker: the run waits in Sampling, as with a long pre-sampling.
        await using var h = await OrchestratorHarness.StartAsync(x => x.AddConsumer<FakeRewardScorer>());
        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "to-cancel", SamplesPerProblem = 2, ShardSize = 5 });
        await h.WaitForStateAsync("to-cancel", "Sampling");

        await h.Harness.Bus.Publish(new CancelRun { RunId = "to-cancel", Reason = "wrong λ" });

        var status = await h.WaitForStateAsync("to-cancel", "Cancelled");
        Assert.Equal("Cancelled", status.State);
        Assert.Equal("wrong λ", status.Reason);
        var cancelled = Assert.Single(h.Harness.Published.Select<RunCancelled>()).Context.Message;
        Assert.Equal("wrong λ", cancelled.Reason);

        await h.Harness.Bus.Publish(new RolloutsGenerated { RunId = "to-cancel", SampleSetId = "s", ShardIndex = 0, RolloutsBlob = "b", Problems = 5, Samples = 10, Tokens = 1, Seconds = 1 });
        await h.Harness.InactivityTask;
        Assert.Equal("Cancelled", (await h.StatusAsync("to-cancel")).State);
        Assert.False(h.Harness.Published.Select<TrainPolicy>().Any());
    }
}
