using MassTransit.Serialization;

namespace PrunerPipeline.Orchestrator.Tests.Hostile;

/// <summary>A StartPruningRun with a typo'd field, as a MassTransit envelope (the extra field rides in the message JSON).</summary>
public sealed record StartPruningRunWithTypo : StartPruningRun
{
    public double Lamda { get; init; }
}

/// <summary>The same typo as a raw JSON body (what a person pastes into the RabbitMQ console).</summary>
public sealed record RawRunWithTypos
{
    public required string RunId { get; init; }
    public double Lamda { get; init; }
    public int Sampels { get; init; }
}

public sealed class When_a_start_request_is_hostile
{
    [Fact]
    public async Task An_unknown_field_in_an_envelope_is_rejected_by_name()
    {
        await using var h = await OrchestratorHarness.StartAsync(_ => { });

        await h.Harness.Bus.Publish(new StartPruningRunWithTypo { RunId = "typo", Lamda = 0 });

        var rejected = await h.PublishedAsync<RunRejected>();
        Assert.Equal("typo", rejected.RunId);
        var reason = Assert.Single(rejected.Reasons);
        Assert.StartsWith("lamda: unknown field; allowed: runId, method, ", reason);
        Assert.Contains("lambda", reason);
        Assert.False(h.Harness.Published.Select<RunAccepted>().Any());
        Assert.False(await h.Store.ExistsAsync("runs/typo/run.json", CancellationToken.None));
    }

    [Fact]
    public async Task Unknown_fields_in_a_raw_body_are_rejected_by_name()
    {
        await using var h = await OrchestratorHarness.StartAsync(_ => { });
        var queue = await h.Harness.Bus.GetSendEndpoint(new Uri("queue:start-pruning-run"));

        await queue.Send(new RawRunWithTypos { RunId = "raw-typo", Lamda = 0, Sampels = 4 },
            context => context.Serializer = new SystemTextJsonRawMessageSerializer(RawSerializerOptions.Default));

        var reasons = (await h.PublishedAsync<RunRejected>()).Reasons;
        Assert.Equal(2, reasons.Count);
        Assert.StartsWith("lamda: unknown field;", reasons[0]);
        Assert.StartsWith("sampels: unknown field;", reasons[1]);
        Assert.False(await h.Store.ExistsAsync("runs/raw-typo/run.json", CancellationToken.None));
    }

    [Theory]
    [InlineData("nl\n")]
    [InlineData("run\r\n")]
    [InlineData("ok\n../x")]
    public async Task A_run_id_with_a_trailing_newline_is_rejected_not_faulted(string runId)
    {
        await using var h = await OrchestratorHarness.StartAsync(_ => { });

        await h.Harness.Bus.Publish(new StartPruningRun { RunId = runId });

        var reason = Assert.Single((await h.PublishedAsync<RunRejected>()).Reasons);
        Assert.StartsWith("runId: '", reason);
        Assert.Contains("is not allowed", reason);
        Assert.False(h.Harness.Published.Select<Fault<StartPruningRun>>().Any());
        Assert.False(h.Harness.Published.Select<RunAccepted>().Any());
    }

    [Fact]
    public async Task The_same_run_id_submitted_at_once_with_different_settings_is_accepted_once()
    {
        await using var h = await OrchestratorHarness.StartAsync(_ => { });

        // Eight submissions of one id, each with its own K, all in flight together.
        await Task.WhenAll(Enumerable.Range(1, 8).Select(k => h.Harness.Bus.Publish(new StartPruningRun { RunId = "race", SamplesPerProblem = k })));

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (h.Harness.Published.Select<RunAccepted>().Count() + h.Harness.Published.Select<RunRejected>().Count() < 8 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        var accepted = Assert.Single(h.Harness.Published.Select<RunAccepted>().ToList());
        var rejections = h.Harness.Published.Select<RunRejected>().Select(r => r.Context.Message).ToList();
        Assert.Equal(7, rejections.Count);
        Assert.All(rejections, r => Assert.Equal("runId: 'race' already exists with different settings; allowed: a new run id", Assert.Single(r.Reasons)));

        // The run that won is the one stored, and its shard plan matches its settings.
        var stored = await h.Store.ReadJsonAsync<StartPruningRun>("runs/race/run.json", CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(accepted.Context.Message.SubmissionId, h.Harness.Consumed.Select<StartPruningRun>()
            .Single(c => c.Context.Message.SamplesPerProblem == stored.SamplesPerProblem).Context.MessageId);
        Assert.Equal("Sampling", (await h.WaitForStateAsync("race", "Sampling")).State);
    }

    [Fact]
    public async Task A_rejection_answers_its_own_submission_and_a_forged_one_leaves_the_live_run_alone()
    {
        await using var h = await OrchestratorHarness.StartAsync(_ => { });
        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "live", SamplesPerProblem = 2 });
        await h.WaitForStateAsync("live", "Sampling");

        var duplicateId = NewId.NextGuid();
        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "live", SamplesPerProblem = 3 }, c => c.MessageId = duplicateId);
        var rejection = await h.PublishedAsync<RunRejected>();
        Assert.Equal(duplicateId, rejection.SubmissionId);

        // A forged rejection of the live run reaches the saga: ignored there (logged), the run goes on.
        await h.Harness.Bus.Publish(new RunRejected { RunId = "live", Reasons = ["forged"] });
        await Task.Delay(200);
        var status = await h.StatusAsync("live");
        Assert.Equal("Sampling", status.State);
        Assert.Null(status.Reason);
    }
}
