using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrunerPipeline.Contracts;
using PrunerPipeline.Orchestrator.Persistence;
using PrunerPipeline.Orchestrator.Saga;

namespace PrunerPipeline.Orchestrator.Deadlines;

/// <summary>
/// Finds unfinished runs in the saved run states and asks their saga to re-drive them (<see cref="RedriveRun"/>): every
/// one on start-up, and those whose stage is past its deadline afterwards. The saga decides again on the state it
/// loads (another orchestrator may have moved the run meanwhile), so a stale look here costs one ignored message.
/// </summary>
public sealed class StalledRuns(IRunStateDocuments documents, IBus bus, IOptions<RunDeadlineOptions> options, ILogger<StalledRuns> logger)
{
    private static readonly HashSet<string> Active = ["Sampling", "Scoring", "Training", "Online", "Evaluating", "NextRound"];

    /// <summary>Sends <see cref="RedriveRun"/> for each unfinished run (all of them when <paramref name="onStartup"/>, else those past their deadline); returns how many.</summary>
    public async Task<int> CheckAsync(bool onStartup, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var sent = 0;
        await foreach (var id in documents.ListAsync(ct))
        {
            var document = await documents.LoadAsync(id, ct);
            PruningRunState? saga;
            try
            {
                saga = document is null ? null : JsonSerializer.Deserialize<PruningRunState>(document.Json, DocumentSagaRepositoryContextFactory<PruningRunState>.Json);
            }
            catch (JsonException e)
            {
                logger.LogWarning("Run state {CorrelationId} is unreadable, not re-driven: {Problem}", id, e.Message);
                continue;
            }
            if (saga is null || !Active.Contains(saga.CurrentState) || !(onStartup || StageDeadline.IsPast(saga, options.Value, now)))
            {
                continue;
            }
            await bus.Publish(new RedriveRun { RunId = saga.RunId, OnStartup = onStartup }, ct);
            sent++;
        }
        if (sent > 0)
        {
            logger.LogInformation("{Runs} unfinished run(s) sent for re-drive ({Why})", sent, onStartup ? "orchestrator start-up" : "stage deadline passed");
        }
        return sent;
    }
}
