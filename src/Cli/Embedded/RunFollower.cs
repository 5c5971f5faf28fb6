using MassTransit;

namespace PrunerPipeline.Cli.Embedded;

/// <summary>
/// Watches one run from outside the pipeline: a temporary, auto-deleted queue subscribed to every run event, filtered
/// by run id. Connect it before publishing <see cref="StartPruningRun"/> so no event is missed. Works on any transport.
/// </summary>
public sealed class RunFollower : IAsyncDisposable
{
    private readonly string runId;
    private readonly Action<object> onEvent;
    private readonly TaskCompletionSource<RunOutcome> outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HostReceiveEndpointHandle? handle;
    private Guid? submissionId;

    private RunFollower(string runId, Action<object> onEvent)
    {
        this.runId = runId;
        this.onEvent = onEvent;
    }

    /// <summary>Completes when the run is completed, faulted, rejected or cancelled.</summary>
    public Task<RunOutcome> Outcome => outcome.Task;

    /// <param name="onEvent">Called for every event of the run, in arrival order (from bus threads: keep it short).</param>
    public static async Task<RunFollower> ConnectAsync(IBus bus, string runId, Action<object> onEvent, CancellationToken ct)
    {
        var follower = new RunFollower(runId, onEvent);
        follower.handle = bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition(), KebabCaseEndpointNameFormatter.Instance, e =>
        {
            e.Handler<RunAccepted>(c => follower.Seen(c.Message.RunId, c.Message));
            // Only the answer to this follower's own submission ends it: a rejected duplicate of a live run (or a forged
            // RunRejected) carries the run's id too.
            e.Handler<RunRejected>(c => follower.IsOwnAnswer(c.Message.SubmissionId) ? follower.Seen(c.Message.RunId, c.Message, "Rejected") : Task.CompletedTask);
            e.Handler<StageProgress>(c => follower.Seen(c.Message.RunId, c.Message));
            e.Handler<RolloutsGenerated>(c => follower.Seen(c.Message.RunId, c.Message));
            e.Handler<RewardsScored>(c => follower.Seen(c.Message.RunId, c.Message));
            e.Handler<ScoreRollouts>(c => follower.Seen(c.Message.RunId, c.Message));
            e.Handler<TrainPolicy>(c => follower.Seen(c.Message.RunId, c.Message));
            e.Handler<EvaluateCheckpoint>(c => follower.Seen(c.Message.RunId, c.Message));
            e.Handler<CheckpointPublished>(c => follower.Seen(c.Message.RunId, c.Message));
            e.Handler<EvaluationCompleted>(c => follower.Seen(c.Message.RunId, c.Message));
            e.Handler<RunCompleted>(c => follower.Seen(c.Message.RunId, c.Message, "Completed"));
            e.Handler<RunFaulted>(c => follower.Seen(c.Message.RunId, c.Message, "Faulted"));
            e.Handler<RunCancelled>(c => follower.Seen(c.Message.RunId, c.Message, "Cancelled"));
            // The orchestrator itself failed on the request (after its retries): the run never started.
            e.Handler<Fault<StartPruningRun>>(c => !follower.IsOwnAnswer(c.Message.FaultedMessageId) ? Task.CompletedTask : follower.Seen(c.Message.Message.RunId, new RunFaulted
            {
                RunId = c.Message.Message.RunId,
                Stage = "starting",
                Reason = string.Join("; ", c.Message.Exceptions.Select(x => $"{x.ExceptionType}: {x.Message}")),
            }, "Faulted"));
        });
        await follower.handle.Ready.WaitAsync(ct);
        return follower;
    }

    /// <summary>
    /// Sends the run to the <c>start-pruning-run</c> queue under a fresh message id; from then on only a
    /// <see cref="RunRejected"/> carrying that id as its <see cref="RunRejected.SubmissionId"/> ends this follower.
    /// </summary>
    public async Task SubmitAsync(IBus bus, StartPruningRun run, CancellationToken ct)
    {
        var id = NewId.NextGuid();
        submissionId = id;
        var queue = await bus.GetSendEndpoint(new Uri("queue:start-pruning-run"));
        await queue.Send(run, context => context.MessageId = id, ct);
    }

    /// <summary>Is an answer (rejection, fault) meant for this follower? Without a submission of its own, any answer for the run is.</summary>
    private bool IsOwnAnswer(Guid? answeredSubmission) => submissionId is null || answeredSubmission == submissionId;

    private Task Seen(string eventRunId, object message, string? finalState = null)
    {
        if (eventRunId != runId || outcome.Task.IsCompleted)
        {
            return Task.CompletedTask;
        }
        onEvent(message);
        if (finalState is not null)
        {
            outcome.TrySetResult(new RunOutcome(runId, finalState, message));
        }
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (handle is not null)
        {
            await handle.StopAsync();
        }
    }
}
