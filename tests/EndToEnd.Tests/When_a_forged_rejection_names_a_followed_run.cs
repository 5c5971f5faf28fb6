using PrunerPipeline.Cli.Embedded;

namespace PrunerPipeline.EndToEnd.Tests;

/// <summary>
/// `pruner run` ends as rejected only on the rejection of its own submission: a RunRejected carrying the run's id but
/// another submission's id (a duplicate request of the live run, or a forged message) is not the end of the run.
/// </summary>
public sealed class When_a_forged_rejection_names_a_followed_run
{
    [Fact]
    public async Task The_follower_waits_for_the_answer_to_its_own_submission()
    {
        var bus = Bus.Factory.CreateUsingInMemory(cfg => cfg.ReceiveEndpoint("start-pruning-run", e => e.Handler<StartPruningRun>(async c =>
        {
            // Forged: no submission id, and another submission's id. Then the real outcome of the run.
            await c.Publish(new RunRejected { RunId = c.Message.RunId, Reasons = ["forged, no submission"] });
            await c.Publish(new RunRejected { RunId = c.Message.RunId, Reasons = ["another submission"], SubmissionId = NewId.NextGuid() });
            await c.Publish(new RunAccepted { RunId = c.Message.RunId, Shards = 1, Problems = 1, RunSpecBlob = "runs/live/run.json", Run = c.Message, SubmissionId = c.MessageId });
            await Task.Delay(300);
            await c.Publish(new RunCompleted { RunId = c.Message.RunId, ReportBlob = "r", Accuracy = 1, MeanLength = 1, Aes = 0 });
        })));
        await bus.StartAsync();
        try
        {
            var seen = new List<string>();
            await using var follower = await RunFollower.ConnectAsync(bus, "live", e => { lock (seen) seen.Add(e.GetType().Name); }, CancellationToken.None);
            await follower.SubmitAsync(bus, new StartPruningRun { RunId = "live" }, CancellationToken.None);

            var outcome = await follower.Outcome.WaitAsync(TimeSpan.FromSeconds(20));

            Assert.Equal("Completed", outcome.State);
            Assert.DoesNotContain(nameof(RunRejected), seen);
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    [Fact]
    public async Task The_rejection_of_its_own_submission_ends_it()
    {
        var bus = Bus.Factory.CreateUsingInMemory(cfg => cfg.ReceiveEndpoint("start-pruning-run", e => e.Handler<StartPruningRun>(c =>
            c.Publish(new RunRejected { RunId = c.Message.RunId, Reasons = ["samplesPerProblem: 0; allowed: 1 to 1024"], SubmissionId = c.MessageId }))));
        await bus.StartAsync();
        try
        {
            await using var follower = await RunFollower.ConnectAsync(bus, "bad", _ => { }, CancellationToken.None);
            await follower.SubmitAsync(bus, new StartPruningRun { RunId = "bad", SamplesPerProblem = 0 }, CancellationToken.None);

            var outcome = await follower.Outcome.WaitAsync(TimeSpan.FromSeconds(20));

            Assert.Equal("Rejected", outcome.State);
            Assert.Equal(["samplesPerProblem: 0; allowed: 1 to 1024"], ((RunRejected)outcome.FinalEvent).Reasons);
        }
        finally
        {
            await bus.StopAsync();
        }
    }
}
