using PrunerPipeline.Hosting.Artifacts;

namespace PrunerPipeline.Hosting.Messaging;

/// <summary>
/// A command named a run the orchestrator never accepted (no <c>runs/{run}/run.json</c>), or an id that cannot be a run:
/// forged or stray. An <see cref="ArgumentException"/>, so it is not retried: the message goes to its endpoint's
/// <c>_error</c> queue with this reason, and the saga, which has no such run, discards the fault.
/// </summary>
public sealed class UnknownRunException(string message) : ArgumentException(message)
{
    /// <summary>Throws unless <paramref name="runId"/> is a valid run id whose run.json exists in the store.</summary>
    public static async Task ThrowUnlessAcceptedAsync(IArtifactStore store, string? runId, string messageType, CancellationToken ct)
    {
        if (ArtifactName.CheckRunId(runId) is { } problem)
        {
            throw new UnknownRunException($"{messageType} dropped: {problem}");
        }
        if (!await store.ExistsAsync($"runs/{runId}/run.json", ct))
        {
            throw new UnknownRunException($"{messageType} dropped: run '{runId}' is unknown (no runs/{runId}/run.json: the orchestrator never accepted it)");
        }
    }
}
