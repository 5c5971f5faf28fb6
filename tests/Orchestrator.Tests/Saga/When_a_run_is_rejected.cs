namespace PrunerPipeline.Orchestrator.Tests.Saga;

public sealed class When_a_run_is_rejected
{
    [Fact]
    public async Task Every_bad_field_gets_a_reason_and_nothing_is_started_or_stored()
    {
        await using var h = await OrchestratorHarness.StartAsync(x => x.AddConsumer<FakeRolloutWorker>());

        await h.Harness.Bus.Publish(new StartPruningRun
        {
            RunId = "bad-run",
            SamplesPerProblem = 0,
            Lambda = -1,
            TrainingDataset = "imagenet",
            EvaluationDatasets = ["gsm8k", "mmlu"],
            BaseModel = "models/nonexistent",
            ClipEpsilon = 1.5,
        });

        var rejected = await h.PublishedAsync<RunRejected>();
        Assert.Equal("bad-run", rejected.RunId);
        Assert.Collection(rejected.Reasons.Order(),
            r => Assert.StartsWith("baseModel: 'models/nonexistent' is unknown", r),
            r => Assert.StartsWith("clipEpsilon: 1.5; allowed:", r),
            r => Assert.StartsWith("evaluationDatasets: 'mmlu' is unknown; allowed: synthetic, gsm8k, math500, gaokao2023en", r),
            r => Assert.StartsWith("lambda: -1; allowed: 0 to 100", r),
            r => Assert.StartsWith("samplesPerProblem: 0; allowed: 1 to 1024", r),
            r => Assert.StartsWith("trainingDataset: 'imagenet' is unknown; allowed: synthetic, gsm8k, math", r));
        Assert.False(h.Harness.Published.Select<RunAccepted>().Any());
        Assert.False(h.Harness.Published.Select<GenerateRollouts>().Any());
        Assert.False(await h.Store.ExistsAsync("runs/bad-run/run.json", CancellationToken.None));

        var status = await h.WaitForStateAsync("bad-run", "Rejected");
        Assert.Equal("Rejected", status.State);
        Assert.Contains("samplesPerProblem", status.Reason);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("runs/../../etc")]
    [InlineData("")]
    [InlineData("UPPER")]
    [InlineData("a b")]
    public async Task A_run_id_that_could_escape_its_folder_is_rejected_and_writes_nothing(string runId)
    {
        await using var h = await OrchestratorHarness.StartAsync(_ => { });

        await h.Harness.Bus.Publish(new StartPruningRun { RunId = runId });

        var reason = Assert.Single((await h.PublishedAsync<RunRejected>()).Reasons);
        Assert.StartsWith("runId:", reason);
        Assert.Contains("allowed: 1-64 characters of [a-z0-9._-]", reason);
        var blobs = new List<string>();
        await foreach (var name in h.Store.ListAsync("", CancellationToken.None))
        {
            blobs.Add(name);
        }
        Assert.Equal(["models/builtin/config.json"], blobs);
    }

    [Fact]
    public async Task An_existing_run_id_with_different_settings_is_rejected()
    {
        await using var h = await OrchestratorHarness.StartAsync(_ => { });
        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "taken", SamplesPerProblem = 2 });
        await h.WaitForStateAsync("taken", "Sampling");

        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "taken", SamplesPerProblem = 4 });

        var reason = Assert.Single((await h.PublishedAsync<RunRejected>()).Reasons);
        Assert.Equal("runId: 'taken' already exists with different settings; allowed: a new run id", reason);
        Assert.Equal("Sampling", (await h.StatusAsync("taken")).State);
    }
}
