namespace PrunerPipeline.Orchestrator.Persistence;

/// <summary>
/// Where run-saga instances live, one JSON document per run with optimistic concurrency: a replace names the version
/// it read and fails with <see cref="MassTransit.ConcurrencyException"/> when someone else wrote in between.
/// </summary>
public interface IRunStateDocuments
{
    Task<RunStateDocument?> LoadAsync(Guid correlationId, CancellationToken ct);

    /// <summary>Stores a new document; fails with a concurrency exception when one already exists. Returns the new version tag.</summary>
    Task<string> CreateAsync(Guid correlationId, string json, CancellationToken ct);

    /// <summary>Replaces the document if it still has <paramref name="etag"/>; returns the new version tag.</summary>
    Task<string> ReplaceAsync(Guid correlationId, string json, string etag, CancellationToken ct);

    Task DeleteAsync(Guid correlationId, string etag, CancellationToken ct);

    /// <summary>Every stored run's correlation id (for the start-up and deadline re-drives).</summary>
    IAsyncEnumerable<Guid> ListAsync(CancellationToken ct);
}
