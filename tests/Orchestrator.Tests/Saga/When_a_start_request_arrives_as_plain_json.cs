using MassTransit.Serialization;

namespace PrunerPipeline.Orchestrator.Tests.Saga;

/// <summary>
/// The start-pruning-run endpoint takes a bare JSON body (what a person pastes into the RabbitMQ console), not only a
/// MassTransit envelope. The distributed end-to-end script checks the no-content-type case on a real broker.
/// </summary>
public sealed class When_a_start_request_arrives_as_plain_json
{
    [Fact]
    public async Task A_raw_body_on_the_start_queue_starts_the_run()
    {
        await using var h = await OrchestratorHarness.StartAsync(_ => { });
        var queue = await h.Harness.Bus.GetSendEndpoint(new Uri("queue:start-pruning-run"));

        await queue.Send(new StartPruningRun { RunId = "plain-json", SamplesPerProblem = 2 },
            context => context.Serializer = new SystemTextJsonRawMessageSerializer(RawSerializerOptions.Default));

        Assert.Equal("plain-json", (await h.PublishedAsync<RunAccepted>()).RunId);
        Assert.Equal("Sampling", (await h.WaitForStateAsync("plain-json", "Sampling")).State);
    }

    [Fact]
    public async Task A_raw_body_with_a_hostile_run_id_is_rejected_with_a_reason()
    {
        await using var h = await OrchestratorHarness.StartAsync(_ => { });
        var queue = await h.Harness.Bus.GetSendEndpoint(new Uri("queue:start-pruning-run"));

        await queue.Send(new StartPruningRun { RunId = "../../escape", SamplesPerProblem = 1_000_000_000 },
            context => context.Serializer = new SystemTextJsonRawMessageSerializer(RawSerializerOptions.Default));

        var reasons = (await h.PublishedAsync<RunRejected>()).Reasons;
        Assert.Contains(reasons, r => r.StartsWith("runId:"));
        Assert.Contains(reasons, r => r.StartsWith("samplesPerProblem: 1000000000"));
    }
}
