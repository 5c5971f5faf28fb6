using MassTransit;
using PrunerPipeline.Contracts;

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
            e.Handler<RunRejected>(c => follower.Seen(c.Message.RunId, c.Message, "Rejected"));
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
            e.Handler<Fault<StartPruningRun>>(c => follower.Seen(c.Message.Message.RunId, new RunFaulted
            {
                RunId = c.Message.Message.RunId,
                Stage = "starting",
                Reason = string.Join("; ", c.Message.Exceptions.Select(x => $"{x.ExceptionType}: {x.Message}")),
            }, "Faulted"));
        });
        await follower.handle.Ready.WaitAsync(ct);
        return follower;
    }

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
