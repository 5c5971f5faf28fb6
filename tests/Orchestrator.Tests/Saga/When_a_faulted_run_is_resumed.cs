namespace PrunerPipeline.Orchestrator.Tests.Saga;

[Collection(nameof(UnreliableServicesCollection))]
public sealed class When_a_faulted_run_is_resumed
{
    [Fact]
    public async Task It_continues_at_the_failed_stage_and_reuses_what_is_stored()
    {
        FlakyTrainer.Broken = true;
        await using var h = await OrchestratorHarness.StartAsync(x =>
        {
            x.AddConsumer<FakeRolloutWorker>();
            x.AddConsumer<FakeRewardScorer>();
            x.AddConsumer<FlakyTrainer>();
            x.AddConsumer<FakeEvaluator>();
        });
        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "resumable", SamplesPerProblem = 2, ShardSize = 5 });
        Assert.Equal("Faulted", (await h.WaitForStateAsync("resumable", "Faulted")).State);
        var sampled = h.Harness.Published.Select<GenerateRollouts>().Count();
        var scored = h.Harness.Published.Select<ScoreRollouts>().Count();

        FlakyTrainer.Broken = false;
        var answer = await Resume(h, "resumable");

        Assert.True(answer.Is(out Response<RunResumed>? resumed), "the resume was refused");
        Assert.Equal("training", resumed!.Message.Stage);
        Assert.Equal("Completed", (await h.WaitForStateAsync("resumable", "Completed")).State);
        // Samples and rewards were stored: neither stage ran again.
        Assert.Equal(sampled, h.Harness.Published.Select<GenerateRollouts>().Count());
        Assert.Equal(scored, h.Harness.Published.Select<ScoreRollouts>().Count());
        Assert.Single(h.Harness.Published.Select<RunCompleted>());
    }

    [Fact]
    public async Task A_run_faulted_in_sampling_asks_only_for_the_missing_shards()
    {
        LossyRolloutWorker.Reset([1], lost: 3);
        await using var h = await OrchestratorHarness.StartAsync(x =>
        {
            x.AddConsumer<LossyRolloutWorker>();
            x.AddConsumer<FakeRewardScorer>();
            x.AddConsumer<FakeTrainer>();
            x.AddConsumer<FakeEvaluator>();
        }, settings: new Dictionary<string, string?>
        {
            ["Orchestrator:Deadlines:SamplingBaseSeconds"] = "1",
            ["Orchestrator:Deadlines:SamplingMinTokensPerSecond"] = "1000000000",
            ["Orchestrator:Deadlines:MaxRedrives"] = "2",
            ["Orchestrator:Deadlines:CheckIntervalSeconds"] = "0.25",
        });
        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "resume-sampling", SamplesPerProblem = 2, ShardSize = 5 });
        Assert.Equal("Faulted", (await h.WaitForStateAsync("resume-sampling", "Faulted")).State);

        var answer = await Resume(h, "resume-sampling");

        Assert.True(answer.Is(out Response<RunResumed>? resumed), "the resume was refused");
        Assert.Equal("sampling", resumed!.Message.Stage);
        Assert.Equal("1 of 2 shards not reported", resumed.Message.Pending);
        Assert.Equal("Completed", (await h.WaitForStateAsync("resume-sampling", "Completed")).State);
        Assert.Equal(4, LossyRolloutWorker.Deliveries[1]);
        Assert.Equal(1, LossyRolloutWorker.Deliveries[0]);
    }

    [Fact]
    public async Task A_completed_or_unknown_run_is_refused_in_one_line()
    {
        await using var h = await OrchestratorHarness.StartAsync(x =>
        {
            x.AddConsumer<FakeRolloutWorker>();
            x.AddConsumer<FakeRewardScorer>();
            x.AddConsumer<FakeTrainer>();
            x.AddConsumer<FakeEvaluator>();
        });
        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "done", SamplesPerProblem = 2, ShardSize = 5 });
        Assert.Equal("Completed", (await h.WaitForStateAsync("done", "Completed")).State);

        Assert.True((await Resume(h, "done")).Is(out Response<ResumeRefused>? completed));
        Assert.Equal("Completed", completed!.Message.State);
        Assert.Equal("run 'done' is Completed; only a Faulted run can be resumed", completed.Message.Reason);

        Assert.True((await Resume(h, "never-started")).Is(out Response<ResumeRefused>? unknown));
        Assert.Equal("Unknown", unknown!.Message.State);
        Assert.DoesNotContain('\n', unknown.Message.Reason);
        Assert.Contains("unknown", unknown.Message.Reason);
    }

    private static Task<Response<RunResumed, ResumeRefused>> Resume(OrchestratorHarness h, string runId) =>
        h.Harness.GetRequestClient<ResumeRun>().GetResponse<RunResumed, ResumeRefused>(new ResumeRun { RunId = runId });
}
