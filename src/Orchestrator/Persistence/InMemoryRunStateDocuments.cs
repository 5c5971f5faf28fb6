using System.Collections.Concurrent;
using MassTransit;

namespace PrunerPipeline.Orchestrator.Persistence;

/// <summary>Embedded mode: saga documents in process memory, with the same version checks as the blob store.</summary>
public sealed class InMemoryRunStateDocuments : IRunStateDocuments
{
    private readonly ConcurrentDictionary<Guid, RunStateDocument> documents = new();

    public Task<RunStateDocument?> LoadAsync(Guid correlationId, CancellationToken ct) =>
        Task.FromResult(documents.TryGetValue(correlationId, out var document) ? document : null);

    public Task<string> CreateAsync(Guid correlationId, string json, CancellationToken ct)
    {
        var document = new RunStateDocument(json, NewTag());
        if (!documents.TryAdd(correlationId, document))
        {
            throw new ConcurrencyException($"Run state {correlationId} already exists", typeof(RunStateDocument), correlationId);
        }
        return Task.FromResult(document.ETag);
    }

    public Task<string> ReplaceAsync(Guid correlationId, string json, string etag, CancellationToken ct)
    {
        var document = new RunStateDocument(json, NewTag());
        if (!documents.TryGetValue(correlationId, out var current) || current.ETag != etag || !documents.TryUpdate(correlationId, document, current))
        {
            throw new ConcurrencyException($"Run state {correlationId} changed since it was read", typeof(RunStateDocument), correlationId);
        }
        return Task.FromResult(document.ETag);
    }

    public Task DeleteAsync(Guid correlationId, string etag, CancellationToken ct)
    {
        if (documents.TryGetValue(correlationId, out var current) && current.ETag == etag)
        {
            documents.TryRemove(new KeyValuePair<Guid, RunStateDocument>(correlationId, current));
        }
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<Guid> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var id in documents.Keys)
        {
            ct.ThrowIfCancellationRequested();
            yield return id;
        }
        await Task.CompletedTask;
    }

    private static string NewTag() => Guid.NewGuid().ToString("N");
}
